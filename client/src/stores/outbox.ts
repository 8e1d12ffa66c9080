import { create } from 'zustand';
import { isUnsent, shownStatus, type OutboxItem } from '../outbox/outbox-item';

type OutboxStore = {
  /** Every item known to this tab, keyed by command id. */
  items: Record<string, OutboxItem>;
  replaceAll: (items: readonly OutboxItem[]) => void;
  upsert: (item: OutboxItem) => void;
  remove: (id: string) => void;
};

/** The outbox as the UI shows it. Fed only by the outbox module; setters only set. */
export const useOutbox = create<OutboxStore>()((set) => ({
  items: {},
  replaceAll: (items) => set({ items: Object.fromEntries(items.map((item) => [item.id, item])) }),
  upsert: (item) => set((s) => ({ items: { ...s.items, [item.id]: item } })),
  remove: (id) =>
    set((s) => {
      if (!Object.hasOwn(s.items, id)) return s;
      const { [id]: _removed, ...items } = s.items;
      return { items };
    }),
}));

/** One user's items in sending order (oldest first). */
export function userItems(items: Record<string, OutboxItem>, userId: string): OutboxItem[] {
  return Object.values(items)
    .filter((item) => item.userId === userId)
    .sort((a, b) => a.order - b.order);
}

/** How many of a user's commands have not reached the hub (queued, sending or refused). */
export const unsentCount = (items: Record<string, OutboxItem>, userId: string): number =>
  Object.values(items).filter((item) => item.userId === userId && isUnsent(item)).length;

/**
 * How many of those the hub may already have (shown as not confirmed): they are not "not
 * sent", and the outbox button names them apart.
 */
export const unconfirmedCount = (items: Record<string, OutboxItem>, userId: string): number =>
  Object.values(items).filter((item) => item.userId === userId && shownStatus(item) === 'unconfirmed').length;
