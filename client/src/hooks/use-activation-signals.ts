import { activeIncidents, type Incident, type SessionInfo } from '@lagesbild/shared';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { isSummoned } from '../domain/actors';
import { playActivationSound, showNotification } from '../domain/alert-signals';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import { usePreferences } from '../stores/preferences';

/** Active incidents that summon the user's actor and that it has not acknowledged yet. */
export function useUnacknowledged(session: SessionInfo): Incident[] {
  const state = usePicture((s) => s.state);
  return useMemo(
    () =>
      activeIncidents(state).filter(
        (i) => isSummoned(i, session.region, session.actorId) && !i.acknowledgements[session.actorId],
      ),
    [state, session.region, session.actorId],
  );
}

/**
 * Makes an activation impossible to miss: a sound (unless turned off), a system
 * notification when permitted, and the tab title. Only activations that arrive after the
 * picture first caught up signal: a reload must not sound the alarm again.
 */
export function useActivationSignals(session: SessionInfo): void {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const lastSeq = usePicture((s) => s.lastSeq);
  const helloHeadSeq = useConnection((s) => s.helloHeadSeq);
  const soundEnabled = usePreferences((s) => s.soundEnabled);
  const known = useRef<Set<string> | null>(null);
  const unacknowledged = useUnacknowledged(session);
  const active = useMemo(() => activeIncidents(state), [state]);

  useEffect(() => {
    if (known.current === null) {
      // The first complete picture is the baseline.
      if (helloHeadSeq === null || lastSeq < helloHeadSeq) return;
      known.current = new Set(active.map((i) => i.id));
      return;
    }
    const fresh = active.filter((i) => !known.current?.has(i.id));
    if (fresh.length === 0) return;
    for (const incident of fresh) known.current.add(incident.id);
    if (soundEnabled) playActivationSound();
    for (const incident of fresh) {
      void showNotification(
        `${t('alert.newActivation')}: ${incident.title}`,
        t('alert.notificationBody', { title: incident.title }),
        `activation-${incident.id}`,
      );
    }
  }, [active, lastSeq, helloHeadSeq, soundEnabled, t]);

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
