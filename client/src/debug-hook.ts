import { missingTranslations } from './i18n/i18n';
import type { ConnectionStatus } from './stores/connection';
import { useConnection } from './stores/connection';
import { unsentCount, useOutbox } from './stores/outbox';
import { pictureHash, usePicture } from './stores/picture';
import { useSession } from './stores/session';

/**
 * What tests and wall soak scripts may read from a running page. Read-only getters over
 * the stores, so a script cannot change the picture it is meant to observe.
 */
export type LagesbildDebugHook = {
  readonly lastSeq: number;
  readonly epoch: string | null;
  readonly connection: ConnectionStatus;
  readonly lastEventAt: number | null;
  readonly hubId: string | null;
  readonly invalidMessages: number;
  /** Translation keys the UI used but the language lacks ("lng:key"); should stay empty. */
  readonly missingTranslations: readonly string[];
  /** How many of the signed-in user's commands are queued, on the wire or refused. */
  readonly unsentCommands: number;
  stateHash(): string;
};

declare global {
  interface Window {
    readonly __lagesbild?: LagesbildDebugHook;
  }
}

/** Puts `window.__lagesbild` in place. */
export function installDebugHook(target: Window): void {
  const hook: LagesbildDebugHook = Object.freeze({
    get lastSeq() {
      return usePicture.getState().lastSeq;
    },
    get epoch() {
      return usePicture.getState().epoch;
    },
    get connection() {
      return useConnection.getState().status;
    },
    get lastEventAt() {
      return useConnection.getState().lastEventAt;
    },
    get hubId() {
      return useConnection.getState().hubId;
    },
    get invalidMessages() {
      return useConnection.getState().invalidMessages;
    },
    get missingTranslations() {
      return missingTranslations();
    },
    get unsentCommands() {
      const userId = useSession.getState().session?.user.id;
      return userId ? unsentCount(useOutbox.getState().items, userId) : 0;
    },
    stateHash: pictureHash,
  });
  Object.defineProperty(target, '__lagesbild', {
    value: hook,
    writable: false,
    enumerable: false,
    configurable: true,
  });
}
