import { shareCheckinIndex, shareReportIndex, type State } from '@lagesbild/shared';

/**
 * A state that reads as `base` plus whatever is folded into it, without copying `base` or
 * changing it: what a batch of commands is decided on while its events are not yet durable.
 * Copying the collections instead (`detachedCopy`) costs milliseconds per batch once they
 * hold tens of thousands of items.
 *
 * It relies on what `detachedCopy` relies on: the reducer only assigns items of the
 * collections and top-level fields, never changes an item in place nor deletes one. Each
 * collection is a proxy that keeps its own assignments and reads through to `base` for the
 * rest; enumerating it (Object.values) sees both.
 */
export function provisionalState(base: State): State {
  const checkins = overlay(base.checkins);
  shareCheckinIndex(base.checkins, checkins);
  const reports = overlay(base.reports);
  shareReportIndex(base.reports, reports);
  return {
    ...base,
    incidents: overlay(base.incidents),
    reports,
    fieldReports: overlay(base.fieldReports),
    checkins,
    logEntries: overlay(base.logEntries),
    conferences: overlay(base.conferences),
    conferenceDialIns: overlay(base.conferenceDialIns),
    actionItems: overlay(base.actionItems),
    offers: overlay(base.offers),
    needSettlements: overlay(base.needSettlements),
    directives: overlay(base.directives),
    directiveTemplates: overlay(base.directiveTemplates),
    jointMessages: overlay(base.jointMessages),
  };
}

function overlay<T>(base: Record<string, T>): Record<string, T> {
  const own = new Map<string, T>();
  const ownKey = (key: string | symbol): key is string => typeof key === 'string' && own.has(key);
  return new Proxy(base, {
    get: (target, key, receiver) => (ownKey(key) ? own.get(key) : Reflect.get(target, key, receiver)),
    has: (target, key) => ownKey(key) || Reflect.has(target, key),
    set: (_target, key, value: T) => {
      if (typeof key !== 'string') return false;
      own.set(key, value);
      return true;
    },
    deleteProperty: () => false,
    defineProperty: () => false,
    ownKeys: (target) => {
      const keys = Reflect.ownKeys(target);
      for (const key of own.keys()) if (!Object.hasOwn(target, key)) keys.push(key);
      return keys;
    },
    getOwnPropertyDescriptor: (target, key) =>
      ownKey(key)
        ? { value: own.get(key), writable: true, enumerable: true, configurable: true }
        : Reflect.getOwnPropertyDescriptor(target, key),
  });
}
