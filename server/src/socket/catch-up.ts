import {
  eventsForViewer,
  projectState,
  type ServerMessage,
  type ServerMessageName,
  type StoredEvent,
  type Viewer,
} from '@lagesbild/shared';
import type { HubState } from '../hub/hub-state.js';

/** Catch-up is sent in pages so one reconnecting client never gets one enormous frame. */
export const CATCH_UP_PAGE = 1000;

/**
 * What a (re)connecting client gets before live events: the head its hello announces and
 * the `sync.events` pages or the `sync.snapshot`, as socket.io packets already encoded.
 */
export type CatchUp = { kind: 'events' | 'snapshot'; headSeq: number; packets: readonly string[] };

/** A hub message as its name and payload, typed by the shared protocol. */
export type ServerFrame = {
  [K in ServerMessageName]: [name: K, payload: ServerMessage<K>];
}[ServerMessageName];

/**
 * Encodes hub messages as socket.io EVENT packets to the root namespace: what socket.io's
 * encoder makes of `socket.emit(name, payload)` (no ack, no binary), ready for
 * `socket.conn.write`. Encoding once and writing the same string to many sockets is the
 * point, so nothing here parses: the tests round-trip every frame through socket.io's
 * parser and the protocol's schemas instead.
 */
export class FrameEncoder {
  // Stored events never change, so each is JSON-encoded once however many pages and
  // viewers it goes to.
  readonly #eventJson = new WeakMap<StoredEvent, string>();

  encode(...[name, payload]: ServerFrame): string {
    if (name !== 'sync.events') return `2${JSON.stringify([name, payload])}`;
    const { epoch, events, headSeq, ...unknownFields } = payload;
    // Does not compile when `SyncEvents` gains a field this splice would leave out.
    const _noOtherField: Record<string, never> = unknownFields;
    const eventsJson = events.map((event) => this.#event(event)).join(',');
    // Key order as socket.emit would write the object, so the bytes are the same too.
    return `2["sync.events",{"epoch":${JSON.stringify(epoch)},"events":[${eventsJson}],"headSeq":${JSON.stringify(headSeq)}}]`;
  }

  #event(event: StoredEvent): string {
    let json = this.#eventJson.get(event);
    if (json === undefined) {
      json = JSON.stringify(event);
      this.#eventJson.set(event, json);
    }
    return json;
  }
}

/** What is kept for the current head (characters of packets); more is encoded but not kept. */
const KEPT_CHARS = 32 * 1024 * 1024;

const viewerKey = (viewer: Viewer): string =>
  viewer.kind === 'actor' ? `actor:${viewer.actorId}` : 'device';

/**
 * Decides and encodes catch-up. After a hub restart thousands of clients come back at the
 * same `lastSeq`, so the work is shared: every event is JSON-encoded once (stored events
 * never change), and the packets for one (viewer, lastSeq) are kept while the head stays
 * where it is. What a viewer may see depends only on the viewer and the event, so a kept
 * catch-up is exactly what that socket would get on its own.
 */
export class CatchUps {
  readonly #frames = new FrameEncoder();
  readonly #kept = new Map<string, CatchUp>();
  #keptAt = -1;
  #keptChars = 0;

  constructor(private readonly hub: HubState) {}

  /**
   * A client is replayed only when its state is from this log (same epoch) and the
   * retained events reach back to it; otherwise it gets its projection whole — never a
   * silent partial replay.
   */
  for(viewer: Viewer, client: { lastSeq?: number | undefined; epoch?: string | undefined }): CatchUp {
    const { hub } = this;
    const from =
      client.lastSeq !== undefined &&
      client.epoch === hub.epoch &&
      client.lastSeq <= hub.headSeq &&
      client.lastSeq >= hub.oldestCatchUpSeq
        ? client.lastSeq
        : null;
    const key = `${viewerKey(viewer)}|${from ?? 'snapshot'}`;
    if (this.#keptAt !== hub.headSeq) {
      this.#kept.clear();
      this.#keptAt = hub.headSeq;
      this.#keptChars = 0;
    }
    const kept = this.#kept.get(key);
    if (kept) return kept;
    const replay = from === null ? null : hub.eventsAfter(from);
    const made = replay === null ? this.#snapshot(viewer) : this.#events(viewer, replay);
    const chars = made.packets.reduce((n, p) => n + p.length, 0);
    if (this.#keptChars + chars <= KEPT_CHARS) {
      this.#kept.set(key, made);
      this.#keptChars += chars;
    }
    return made;
  }

  #snapshot(viewer: Viewer): CatchUp {
    const { hub } = this;
    // {epoch, seq, state}, seq before the state, as socket.emit would send the object.
    const snapshot = { epoch: hub.epoch, seq: hub.headSeq, state: projectState(hub.state, viewer) };
    return {
      kind: 'snapshot',
      headSeq: hub.headSeq,
      packets: [this.#frames.encode('sync.snapshot', snapshot)],
    };
  }

  #events(viewer: Viewer, events: readonly StoredEvent[]): CatchUp {
    const { epoch, headSeq } = this.hub;
    const visible = eventsForViewer(viewer, events);
    // Sent even when empty, so the client's position follows the hub's.
    if (visible.length === 0) {
      return {
        kind: 'events',
        headSeq,
        packets: [this.#frames.encode('sync.events', { epoch, events: [], headSeq })],
      };
    }
    const packets: string[] = [];
    for (let i = 0; i < visible.length; i += CATCH_UP_PAGE) {
      const page = visible.slice(i, i + CATCH_UP_PAGE);
      const last = i + CATCH_UP_PAGE >= visible.length;
      const pageHead = last ? headSeq : (page[page.length - 1]?.seq ?? headSeq);
      packets.push(this.#frames.encode('sync.events', { epoch, events: page, headSeq: pageHead }));
    }
    return { kind: 'events', headSeq, packets };
  }
}
