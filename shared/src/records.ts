/**
 * Lookups in records keyed by ids that people choose (actor ids, account ids from a path):
 * `record[id]` would find what every object inherits for ids like `constructor` or
 * `toString`, so only the record's own entries count. Works the same on records that came
 * through JSON.parse, which have the ordinary prototype.
 */
export const ownEntry = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/**
 * Stores `value` under `key` as an own entry, even for `__proto__`, which a plain
 * assignment would take as the prototype instead.
 */
export function setEntry<T>(record: Record<string, T>, key: string, value: T): void {
  // Every other key a plain object inherits is a writable data property, which assignment
  // shadows with an own entry; assignment is also far cheaper, and snapshots set millions.
  if (key === '__proto__') {
    Object.defineProperty(record, key, { value, enumerable: true, configurable: true, writable: true });
  } else {
    record[key] = value;
  }
}
