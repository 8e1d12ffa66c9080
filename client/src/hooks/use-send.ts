import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { isPending, type OutboxItem } from '../outbox/outbox-item';
import { useOutbox } from '../stores/outbox';

/** Whether an outbox item is still on its way (so its button must not send it twice). */
export function useStillSending(itemId: string | null): boolean {
  return useOutbox((s) => {
    const item = itemId === null ? undefined : s.items[itemId];
    return item !== undefined && isPending(item);
  });
}

/**
 * A button's or form's sending, one at a time: from the click until the hub has answered,
 * `pending` is true (the control is disabled) and a second `send` does nothing. A double
 * click would otherwise send the command twice, and the hub's refusal of the second (the
 * step has moved, the conference is open) would read as a failure of the first.
 */
export function useSend(): {
  itemId: string | null;
  pending: boolean;
  send: (queue: () => Promise<string>) => Promise<string | null>;
} {
  const [itemId, setItemId] = useState<string | null>(null);
  const [queuing, setQueuing] = useState(false);
  const busy = useRef<{ queuing: boolean; itemId: string | null }>({ queuing: false, itemId: null });
  const stillSending = useStillSending(itemId);

  const send = useCallback(async (queue: () => Promise<string>) => {
    // Read now, not from the last render: two clicks can come before React draws again.
    const last = busy.current.itemId === null ? undefined : useOutbox.getState().items[busy.current.itemId];
    if (busy.current.queuing || (last !== undefined && isPending(last))) return null;
    busy.current.queuing = true;
    setQueuing(true);
    try {
      const id = await queue();
      busy.current.itemId = id;
      setItemId(id);
      return id;
    } finally {
      busy.current.queuing = false;
      setQueuing(false);
    }
  }, []);

  return { itemId, pending: queuing || stillSending, send };
}

/**
 * Calls `onSent` once when the outbox item has been sent, i.e. the hub accepted it: forms
 * close and drafts are dropped then, not when the command was merely queued.
 */
export function useOnSent(itemId: string | null, onSent: (item: OutboxItem) => void): void {
  const item = useOutbox((s) => (itemId === null ? undefined : s.items[itemId]));
  const sent = item?.status === 'sent' ? item : undefined;
  const handled = useRef<string | null>(null);
  const fire = useEffectEvent((done: OutboxItem) => onSent(done));
  useEffect(() => {
    if (!sent || handled.current === sent.id) return;
    handled.current = sent.id;
    fire(sent);
  }, [sent]);
}
