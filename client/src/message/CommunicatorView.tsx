import {
  awaitingApprovalBy,
  latestAgreedVersion,
  latestMessageVersion,
  messageStage,
  unpublishedBy,
  type JointMessage,
  type SessionInfo,
} from '@lagesbild/shared';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { actorLabel } from '../domain/actors';
import { useNow } from '../hooks/use-now';
import { registerTranslations } from '../i18n/register';
import { usePicture } from '../stores/picture';
import { useView } from '../stores/view';
import { messageEn } from './i18n-en';
import { messageSv } from './i18n-sv';
import { actorTakesPart, isExpired } from './message-labels';
import { ExerciseMark } from './MessageContentView';
import './message.css';

// This view's texts load with it; the first page carries none of them.
registerTranslations(messageSv, messageEn);

/** One message in a list: its incident, stage in words, headline and a way to open it. */
function MessageRow({ message, which }: { message: JointMessage; which: 'latest' | 'agreed' }) {
  const { t } = useTranslation();
  const incident = usePicture((s) => s.state.incidents[message.incidentId]);
  const version = which === 'agreed' ? latestAgreedVersion(message) : latestMessageVersion(message);
  if (!version) return null;
  const stage = messageStage(message);
  const title = incident?.title ?? message.incidentId;
  return (
    <li className="communicator-view__item" data-message-id={message.id}>
      <span>
        <strong>{title}</strong> · {t(`message.stage.${stage}`)} ·{' '}
        {t('message.versionLabel', { version: version.version })} ·{' '}
        {version.content.exercise && (
          <>
            <ExerciseMark />{' '}
          </>
        )}
        <span className="communicator-view__headline">{version.content.texts.sv.headline}</span>
      </span>
      <button
        type="button"
        className="button button--small"
        onClick={() => useView.getState().openIncident(message.incidentId, 'message')}
      >
        {t('message.communicator.open')}
        <span className="visually-hidden">: {title}</span>
      </button>
    </li>
  );
}

function MessageList({
  title,
  empty,
  messages,
  which,
  testId,
}: {
  title: string;
  empty: string;
  messages: readonly JointMessage[];
  which: 'latest' | 'agreed';
  testId: string;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} data-testid={testId}>
      <h3 id={headingId}>
        {title} <span className="count">({messages.length})</span>
      </h3>
      {messages.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <ul className="communicator-view__list">
          {messages.map((m) => (
            <MessageRow key={m.id} message={m} which={which} />
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The communicator's own view, across the active incidents the user's actor takes part in
 * (summoned, or the lead actor): what awaits its approval, what is agreed, still valid and
 * not yet published by it, and every message, newest first. A closed incident's message
 * awaits nobody's approval (the server takes none), and an expired one is no longer to be
 * published.
 */
export function CommunicatorView({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const headingId = useId();
  const jointMessages = usePicture((s) => s.state.jointMessages);
  const incidents = usePicture((s) => s.state.incidents);
  const nowMs = useNow(60_000);
  const { awaiting, unpublished, all } = useMemo(() => {
    const ours = (m: JointMessage) => {
      const incident = incidents[m.incidentId];
      return incident?.status === 'active' && actorTakesPart(incident, session.region, session.actorId);
    };
    const state = {
      jointMessages: Object.fromEntries(Object.entries(jointMessages).filter(([, m]) => ours(m))),
    };
    return {
      awaiting: awaitingApprovalBy(state, session.actorId),
      unpublished: unpublishedBy(state, session.actorId).filter((m) => {
        const agreed = latestAgreedVersion(m);
        return agreed !== undefined && !isExpired(agreed, nowMs);
      }),
      all: Object.values(state.jointMessages).sort(
        (a, b) => (latestMessageVersion(b)?.seq ?? 0) - (latestMessageVersion(a)?.seq ?? 0),
      ),
    };
  }, [jointMessages, incidents, nowMs, session.region, session.actorId]);
  const actor = actorLabel(session.region, session.actorId);

  return (
    <section
      className="panel overview__wide communicator-view"
      aria-labelledby={headingId}
      data-testid="communicator-view"
    >
      <h2 id={headingId}>{t('message.communicator.title')}</h2>
      <MessageList
        title={t('message.communicator.awaiting', { actor })}
        empty={t('message.communicator.noneAwaiting')}
        messages={awaiting}
        which="latest"
        testId="communicator-awaiting"
      />
      <MessageList
        title={t('message.communicator.unpublished', { actor })}
        empty={t('message.communicator.noneUnpublished')}
        messages={unpublished}
        which="agreed"
        testId="communicator-unpublished"
      />
      <MessageList
        title={t('message.communicator.all')}
        empty={t('message.communicator.noneAll')}
        messages={all}
        which="latest"
        testId="communicator-all"
      />
    </section>
  );
}
