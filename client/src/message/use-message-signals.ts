import {
  hasApproved,
  latestAgreedVersion,
  latestMessageVersion,
  type Attribution,
  type Incident,
  type SessionInfo,
  type State,
} from '@lagesbild/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isSummoned } from '../domain/actors';
import { playDirectiveSound, showNotification } from '../domain/alert-signals';
import { can } from '../domain/rights';
import { useArrivals } from '../hooks/use-activation-signals';
import { useConnection } from '../stores/connection';
import { usePicture } from '../stores/picture';
import { usePreferences } from '../stores/preferences';

/** A joint message to tell a summoned actor's communicator about: a new version, or agreement. */
export type MessageNotice = {
  /** `<message id>:v<version>` or `…:agreed`: each version and each agreement is news once. */
  id: string;
  messageId: string;
  kind: 'newVersion' | 'agreed';
  /**
   * A new version the user's actor is named to approve and has not approved: only then is
   * it "to approve"; otherwise the user is told of it as news.
   */
  toApprove: boolean;
  incident: Incident;
  version: number;
  headline: string;
  exercise: boolean;
  by: Attribution;
};

/**
 * What the user is alerted to: for those who sign off (communicators and duty officers) of
 * an actor the active incident summons, the latest version of each message not withdrawn,
 * unless the user saved it (they know), and its agreement, unless the user's approval was
 * the last one (they saw it happen).
 */
export function messageNoticeKeys(
  state: Pick<State, 'jointMessages' | 'incidents'>,
  session: SessionInfo,
): MessageNotice[] {
  if (!can(session, 'jointMessage.approve')) return [];
  return Object.values(state.jointMessages).flatMap((message): MessageNotice[] => {
    const incident = state.incidents[message.incidentId];
    const latest = latestMessageVersion(message);
    if (!incident || incident.status !== 'active' || message.cancelled || !latest) return [];
    const lead = session.region.leadActorId === session.actorId;
    if (!lead && !isSummoned(incident, session.region, session.actorId)) return [];
    const common = { messageId: message.id, incident };
    const notices: MessageNotice[] = [];
    if (latest.agreedAt === null && latest.draftedBy.userId !== session.user.id) {
      notices.push({
        ...common,
        id: `${message.id}:v${latest.version}`,
        kind: 'newVersion',
        toApprove: latest.approverActorIds.includes(session.actorId) && !hasApproved(latest, session.actorId),
        version: latest.version,
        headline: latest.content.texts.sv.headline,
        exercise: latest.content.exercise,
        by: latest.draftedBy,
      });
    }
    const agreed = latestAgreedVersion(message);
    // The approval that completed agreement is the last one given.
    const last = agreed && Object.values(agreed.signOffs).sort((a, b) => b.seq - a.seq)[0];
    if (agreed && last && last.by.userId !== session.user.id) {
      notices.push({
        ...common,
        id: `${message.id}:v${agreed.version}:agreed`,
        kind: 'agreed',
        toApprove: false,
        version: agreed.version,
        headline: agreed.content.texts.sv.headline,
        exercise: agreed.content.exercise,
        by: last.by,
      });
    }
    return notices;
  });
}

/** The title of a notice: "to approve" only when the user's actor has yet to approve it. */
export const noticeTitleKey = (
  notice: MessageNotice,
): 'messageAlert.agreed' | 'messageAlert.newVersion' | 'messageAlert.newVersionInfo' =>
  notice.kind === 'agreed'
    ? 'messageAlert.agreed'
    : notice.toApprove
      ? 'messageAlert.newVersion'
      : 'messageAlert.newVersionInfo';

/**
 * Alerts a summoned actor's communicators and duty officers to a new version and to an
 * agreed message as to a directive: a sound (unless turned off), a system notification when
 * permitted, and a notice on the page until closed, or until its reason is gone: the version
 * was superseded or agreed, the message withdrawn, or a version "to approve" was approved for
 * the user's actor. What was there before the picture first caught up is no news (a reload
 * must not alert again).
 */
export function useMessageSignals(session: SessionInfo): {
  notices: MessageNotice[];
  dismiss: (id: string) => void;
} {
  const { t } = useTranslation();
  const jointMessages = usePicture((s) => s.state.jointMessages);
  const incidents = usePicture((s) => s.state.incidents);
  const lastSeq = usePicture((s) => s.lastSeq);
  const helloHeadSeq = useConnection((s) => s.helloHeadSeq);
  const soundEnabled = usePreferences((s) => s.soundEnabled);
  const caughtUp = helloHeadSeq !== null && lastSeq >= helloHeadSeq;
  const [notices, setNotices] = useState<MessageNotice[]>([]);
  const keys = useMemo(
    () => messageNoticeKeys({ jointMessages, incidents }, session),
    [jointMessages, incidents, session],
  );

  useArrivals(keys, caughtUp, (fresh) => {
    if (soundEnabled) playDirectiveSound();
    for (const notice of fresh) {
      const title = t(noticeTitleKey(notice));
      const exercise = notice.exercise ? `${t('messageAlert.exercise')} ` : '';
      void showNotification(
        `${exercise}${title}: ${notice.incident.title}`,
        t(
          notice.kind === 'agreed'
            ? 'messageAlert.agreedBody'
            : notice.toApprove
              ? 'messageAlert.newBody'
              : 'messageAlert.newInfoBody',
          {
            version: notice.version,
            title: notice.incident.title,
          },
        ),
        `message-${notice.id}`,
      );
    }
    // A newer notice of the same message replaces the older one.
    const replaced = new Set(fresh.map((n) => n.messageId));
    setNotices((shown) => [...shown.filter((n) => !replaced.has(n.messageId)), ...fresh]);
  });

  // Each shown notice as things stand now; one whose reason has gone is dropped.
  const standing = notices.flatMap((shown) => {
    const now = keys.find((k) => k.id === shown.id);
    return now && (now.toApprove || !shown.toApprove) ? [now] : [];
  });
  return { notices: standing, dismiss: (id) => setNotices((shown) => shown.filter((n) => n.id !== id)) };
}
