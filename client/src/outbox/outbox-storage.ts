import { openDB, type IDBPDatabase } from 'idb';
import { parseOutboxItem, type OutboxItem } from './outbox-item';

/** Where outbox items outlive the page. */
export type OutboxStorage = {
  all: () => Promise<OutboxItem[]>;
  get: (id: string) => Promise<OutboxItem | null>;
  put: (item: OutboxItem) => Promise<void>;
  delete: (id: string) => Promise<void>;
};

const DB_NAME = 'lagesbild-outbox';
const DB_VERSION = 1;
const STORE = 'commands';

/**
 * IndexedDB: it survives reloads and crashes, and unlike localStorage it is written
 * asynchronously, so a large report does not freeze the page while it is saved.
 */
export function indexedDbStorage(): OutboxStorage {
  let db: Promise<IDBPDatabase> | null = null;
  const open = () => {
    db ??= openDB(DB_NAME, DB_VERSION, {
      upgrade(database) {
        if (!database.objectStoreNames.contains(STORE)) database.createObjectStore(STORE, { keyPath: 'id' });
      },
    });
    return db;
  };
  return {
    all: async () => {
      const rows: unknown[] = await (await open()).getAll(STORE);
      return rows.map(parseOutboxItem).filter((item): item is OutboxItem => item !== null);
    },
    get: async (id) => parseOutboxItem(await (await open()).get(STORE, id)),
    put: async (item) => {
      await (await open()).put(STORE, item);
    },
    delete: async (id) => {
      await (await open()).delete(STORE, id);
    },
  };
}

/** For browsers that refuse IndexedDB (some private modes): the outbox lives as long as the page. */
export function memoryStorage(): OutboxStorage {
  const rows = new Map<string, OutboxItem>();
  return {
    all: async () => [...rows.values()],
    get: async (id) => rows.get(id) ?? null,
    put: async (item) => {
      rows.set(item.id, item);
    },
    delete: async (id) => {
      rows.delete(id);
    },
  };
}
