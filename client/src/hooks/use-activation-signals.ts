import {
  acknowledgementOf,
  activeIncidents,
  requestedIncidents,
  type Incident,
  type SessionInfo,
} from '@lagesbild/shared';
import { useEffect, useEffectEvent, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { actorLabel, isSummoned } from '../domain/actors';
import { playActivationSound, playRequestSound, showNotification } from '../domain/alert-signals';
import { decidesRequests } from '../domain/rights';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import { usePreferences } from '../stores/preferences';

/** Active incidents that summon the user's actor and that it has not acknowledged yet. */
export function useUnacknowledged(session: SessionInfo): Incident[] {
  const state = usePicture((s) => s.state);
  return useMemo(
    () =>
      activeIncidents(state).filter(
        (i) => isSummoned(i, session.region, session.actorId) && !acknowledgementOf(i, session.actorId),
      ),
    [state, session.region, session.actorId],
  );
}

/**
 * Calls `onArrive` with the items not seen before. The first complete picture is the
 * baseline, so a reload does not sound the alarm again for what was already there.
 */
export function useArrivals<T extends { id: string }>(
  items: readonly T[],
  caughtUp: boolean,
  onArrive: (fresh: T[]) => void,
): void {
  const known = useRef<Set<string> | null>(null);
  const arrive = useEffectEvent(onArrive);
  useEffect(() => {
    if (known.current === null) {
      if (caughtUp) known.current = new Set(items.map((i) => i.id));
      return;
    }
    const seen = known.current;
    const fresh = items.filter((i) => !seen.has(i.id));
    if (fresh.length === 0) return;
    for (const item of fresh) seen.add(item.id);
    arrive(fresh);
  }, [items, caughtUp]);
}

/** Something to alert about: an activation itself, or this actor's summons to it. */
export type ActivationAlertKey = { id: string; incident: Incident };

/**
 * What the user is alerted to, one key each. Every new activation is one; being summoned
 * is another, so an actor summoned to an incident that is already going (an
 * `incident.updated` that adds it) is alerted as if it had been activated then. An
 * activation that summons the actor from the start arrives with both keys at once and
 * alerts once.
 */
export function activationAlertKeys(
  active: readonly Incident[],
  region: SessionInfo['region'],
  actorId: string,
): ActivationAlertKey[] {
  return active.flatMap((incident) =>
    isSummoned(incident, region, actorId)
      ? [
          { id: incident.id, incident },
          { id: `${incident.id}:summoned`, incident },
        ]
      : [{ id: incident.id, incident }],
  );
}

/**
 * Makes an activation impossible to miss: a sound (unless turned off), a system
 * notification when permitted, and the tab title. Only activations that arrive after the
 * picture first caught up signal: a reload must not sound the alarm again. A new request
 * for joint handling signals the same way to those who decide on it (Länsstyrelsen's duty
 * officer and coordinator, by the region's rights), with its own sound. An actor summoned
 * later to an incident already going is alerted the same way when the summons arrives.
 */
export function useActivationSignals(session: SessionInfo): void {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const lastSeq = usePicture((s) => s.lastSeq);
  const helloHeadSeq = useConnection((s) => s.helloHeadSeq);
  const soundEnabled = usePreferences((s) => s.soundEnabled);
  const unacknowledged = useUnacknowledged(session);
  const active = useMemo(() => activeIncidents(state), [state]);
  const requested = useMemo(() => requestedIncidents(state), [state]);
  const decides = decidesRequests(session);
  const caughtUp = helloHeadSeq !== null && lastSeq >= helloHeadSeq;

  const alertKeys = useMemo(
    () => activationAlertKeys(active, session.region, session.actorId),
    [active, session.region, session.actorId],
  );

  useArrivals(alertKeys, caughtUp, (fresh) => {
    if (soundEnabled) playActivationSound();
    const freshIds = new Set(fresh.map((key) => key.id));
    const incidents = new Map(fresh.map(({ incident }) => [incident.id, incident]));
    for (const incident of incidents.values()) {
      // A summons to an activation already notified needs its own tag: the browser would
      // otherwise replace the earlier notification without a sound.
      const tag = freshIds.has(incident.id) ? `activation-${incident.id}` : `summons-${incident.id}`;
      void showNotification(
        `${t('alert.newActivation')}: ${incident.title}`,
        t('alert.notificationBody', { title: incident.title }),
        tag,
      );
    }
  });

  useArrivals(requested, caughtUp, (fresh) => {
    // The baseline is kept for everybody; only those who decide are alerted.
    if (!decides) return;
    if (soundEnabled) playRequestSound();
    for (const request of fresh) {
      void showNotification(
        `${t('requestCard.newRequest')}: ${request.title}`,
        t('requestCard.notificationBody', {
          title: request.title,
          name: request.requestedBy?.userName ?? '',
          actor: request.requestedBy ? actorLabel(session.region, request.requestedBy.actorId) : '',
        }),
        `request-${request.id}`,
      );
    }
  });

  const firstUnacknowledged = unacknowledged[0]?.title;
  const activated = active.length > 0;
  useEffect(() => {
    const base = t('app.name');
    document.title = firstUnacknowledged
      ? `⚠ ${t('title.acknowledge')}: ${firstUnacknowledged} – ${base}`
      : activated
        ? `${t('mode.activated')} – ${base}`
        : base;
  }, [firstUnacknowledged, activated, t]);
}
