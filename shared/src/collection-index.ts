/**
 * A lookup over one collection of the state (items by id), kept outside the state so the
 * state's shape, its JSON and its hash stay as they are. Each collection object gets its
 * own index, built on first use from the items in the order they were folded; the reducer
 * then keeps it current with `note`, and `share` lets a copy the reducer goes on folding
 * into (see `detachedCopy`) use and extend its original's index instead of building one.
 *
 * An index only ever grows, and may be shared by a collection and its copies: it can then
 * name ids a given collection does not hold (an item folded into a provisional copy only),
 * or holds changed since, so every reader looks each id up in its own collection and
 * checks it still matches. Ids are never removed, which is what makes sharing safe.
 */
export type CollectionIndex<Item, Index> = {
  /** The collection's index, built now if it has none. */
  of(collection: Readonly<Record<string, Item>>): Index;
  /** Called by the reducer after it put `item` into `collection`; a collection not yet indexed is left alone. */
  note(collection: Readonly<Record<string, Item>>, item: Item): void;
  /** Lets `copy`, a copy of `original` (or a view over it), use and extend the original's index. */
  share(original: Readonly<Record<string, Item>>, copy: Readonly<Record<string, Item>>): void;
};

/** An index kind: how to make an empty index and how to add one item to it. */
export function collectionIndex<Item, Index>(kind: {
  empty: () => Index;
  add: (index: Index, item: Item) => void;
}): CollectionIndex<Item, Index> {
  const indexes = new WeakMap<Readonly<Record<string, Item>>, Index>();
  const of = (collection: Readonly<Record<string, Item>>): Index => {
    let index = indexes.get(collection);
    if (index === undefined) {
      index = kind.empty();
      for (const item of Object.values(collection)) kind.add(index, item);
      indexes.set(collection, index);
    }
    return index;
  };
  return {
    of,
    note: (collection, item) => {
      const index = indexes.get(collection);
      if (index !== undefined) kind.add(index, item);
    },
    share: (original, copy) => {
      indexes.set(copy, of(original));
    },
  };
}
