import type { Attribution, Incident, SessionInfo, State } from '@lagesbild/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isSummoned } from '../domain/actors';
import { playDirectiveSound, showNotification } from '../domain/alert-signals';
import { useArrivals } from '../hooks/use-activation-signals';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import { usePreferences } from '../stores/preferences';

/** A decided version to tell a summoned actor about, one key per version. */
export type DirectiveNotice = {
  /** `<directive id>:v<version>`: a later version is news again. */
  id: string;
  directiveId: string;
  incident: Incident;
  version: number;
  decidedBy: Attribution;
};

/**
 * The latest decided version of every directive of an active incident that summons the
 * user's actor, except those the user decided: they know. Co-signing makes no new version,
 * so it alerts nobody.
 */
export function directiveNoticeKeys(
  state: Pick<State, 'directives' | 'incidents'>,
  session: Pick<SessionInfo, 'region' | 'actorId' | 'user'>,
): DirectiveNotice[] {
  return Object.values(state.directives).flatMap((directive) => {
    const latest = directive.versions.at(-1);
    const incident = state.incidents[directive.incidentId];
    const decidedBy = latest?.deciders[0];
    if (!latest || !decidedBy || !incident || incident.status !== 'active') return [];
    if (!isSummoned(incident, session.region, session.actorId)) return [];
    if (decidedBy.userId === session.user.id) return [];
    return [
      {
        id: `${directive.id}:v${latest.version}`,
        directiveId: directive.id,
        incident,
        version: latest.version,
        decidedBy,
      },
    ];
  });
}

/**
 * Alerts the summoned actors to a new directive in force as to an update: a sound (unless
 * turned off), a system notification when permitted, and a notice on the page until
 * closed. Versions decided before the picture first caught up are no news (a reload must
 * not alert again). Answers the notices shown and how to close one.
 */
export function useDirectiveSignals(session: SessionInfo): {
  notices: DirectiveNotice[];
  dismiss: (id: string) => void;
} {
  const { t } = useTranslation();
  const directives = usePicture((s) => s.state.directives);
  const incidents = usePicture((s) => s.state.incidents);
  const lastSeq = usePicture((s) => s.lastSeq);
  const helloHeadSeq = useConnection((s) => s.helloHeadSeq);
  const soundEnabled = usePreferences((s) => s.soundEnabled);
  const caughtUp = helloHeadSeq !== null && lastSeq >= helloHeadSeq;
  const [notices, setNotices] = useState<DirectiveNotice[]>([]);
  const keys = useMemo(
    () => directiveNoticeKeys({ directives, incidents }, session),
    [directives, incidents, session],
  );

  useArrivals(keys, caughtUp, (fresh) => {
    if (soundEnabled) playDirectiveSound();
    for (const notice of fresh) {
      void showNotification(
        `${t('directive.alert.title')}: ${notice.incident.title}`,
        t('directive.alert.body', { version: notice.version, title: notice.incident.title }),
        `directive-${notice.id}`,
      );
    }
    // A newer version of the same directive replaces its older notice.
    const replaced = new Set(fresh.map((n) => n.directiveId));
    setNotices((shown) => [...shown.filter((n) => !replaced.has(n.directiveId)), ...fresh]);
  });

  return { notices, dismiss: (id) => setNotices((shown) => shown.filter((n) => n.id !== id)) };
}
