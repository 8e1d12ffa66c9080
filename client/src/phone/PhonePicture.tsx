import { latestAssessment, type ActionItem, type Assessment, type SessionInfo } from '@lagesbild/shared';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { StatusChip } from '../components/StatusChip';
import { actorLabel } from '../domain/actors';
import { formatTime } from '../domain/format';
import { can } from '../domain/rights';
import { submit } from '../features/submit';
import { useCaughtUp } from '../hooks/use-caught-up';
import { useOutbox, userItems } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { ownOpenItems, pendingDone, phoneIncidents, type PhoneIncidentSummary } from './phone-picture';
import { PhoneDirective } from './PhoneDirective';
import { PhoneJointMessage } from './PhoneJointMessage';

const PARTS = ['situation', 'expectedDevelopment', 'consequences', 'uncertainties'] as const;

/**
 * The picture in short: each incident in activated mode with the directive in force (and
 * the items of it the actor owns), the agreed joint message to the public, its latest
 * common assessment and the actor's own latest report, then the open decisions and action items the actor
 * owns, each marked done with one tap by those allowed. In ordinary mode, the assessment
 * of the ordinary-mode conferences when there is one.
 */
export function PhonePicture({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const incidents = usePicture((s) => s.state.incidents);
  const conferences = usePicture((s) => s.state.conferences);
  const reports = usePicture((s) => s.state.reports);
  const summaries = useMemo(
    () => phoneIncidents({ incidents, conferences, reports }, session.actorId),
    [incidents, conferences, reports, session.actorId],
  );
  const ordinary = useMemo(() => latestAssessment({ conferences }, null), [conferences]);

  return (
    <section className="phone-section phone-picture" aria-labelledby="phone-picture-heading">
      <h2 id="phone-picture-heading">{t('phone.picture.heading')}</h2>
      {summaries.map((summary) => (
        <IncidentSummary key={summary.incident.id} summary={summary} session={session} />
      ))}
      {summaries.length === 0 && ordinary && (
        <article className="phone-picture__incident" data-testid="phone-ordinary">
          <h3>{t('phone.picture.ordinaryHeading')}</h3>
          <AssessmentView assessment={ordinary.assessment} title={ordinary.conference.title} />
        </article>
      )}
      <OwnItems session={session} />
    </section>
  );
}

function IncidentSummary({ summary, session }: { summary: PhoneIncidentSummary; session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  const caughtUp = useCaughtUp();
  const { incident, assessment, ownReport } = summary;
  const actor = actorLabel(session.region, session.actorId);
  return (
    <article className="phone-picture__incident" data-testid="phone-incident" data-incident-id={incident.id}>
      <h3>{incident.title}</h3>
      <p className="phone-picture__kind">{t(`incidentKind.${incident.kind}`)}</p>
      <PhoneDirective incidentId={incident.id} session={session} />
      <PhoneJointMessage incidentId={incident.id} />
      {assessment ? (
        <AssessmentView assessment={assessment.assessment} title={assessment.conference.title} />
      ) : (
        <p className="empty">{caughtUp ? t('phone.picture.noAssessment') : t('phone.picture.notLive')}</p>
      )}
      <div className="phone-picture__report" data-testid="phone-own-report">
        <h4>{t('phone.picture.ownReport', { actor })}</h4>
        {ownReport ? (
          <>
            <p>
              <StatusChip status={ownReport.status} />{' '}
              <span className="phone-picture__meta">
                <time dateTime={ownReport.at}>
                  {t('phone.picture.reportedBy', {
                    time: formatTime(ownReport.at, i18n.language),
                    name: ownReport.by.userName,
                  })}
                </time>
              </span>
            </p>
            <dl className="phone-picture__parts">
              {ownReport.happened.trim() !== '' && (
                <div>
                  <dt>{t('phone.picture.happened')}</dt>
                  <dd>{ownReport.happened}</dd>
                </div>
              )}
              {ownReport.needs.trim() !== '' && (
                <div>
                  <dt>{t('phone.picture.needs')}</dt>
                  <dd>{ownReport.needs}</dd>
                </div>
              )}
            </dl>
          </>
        ) : (
          <p className="empty">
            {caughtUp ? t('phone.picture.noOwnReport', { actor }) : t('phone.picture.notLive')}
          </p>
        )}
      </div>
    </article>
  );
}

function AssessmentView({ assessment, title }: { assessment: Assessment; title: string }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="phone-picture__assessment" data-testid="phone-assessment">
      <h4>
        {t('phone.picture.assessment')}{' '}
        <span className="phone-picture__meta">
          {t('phone.picture.assessmentFrom', { title, time: formatTime(assessment.at, i18n.language) })}
        </span>
      </h4>
      <dl className="phone-picture__parts">
        {PARTS.filter((part) => assessment[part].trim() !== '').map((part) => (
          <div key={part}>
            <dt>{t(`conference.assessment.${part}`)}</dt>
            <dd>{assessment[part]}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** The actor's open decisions and action items, with "Klar" for those who may mark them. */
function OwnItems({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const actionItems = usePicture((s) => s.state.actionItems);
  const incidents = usePicture((s) => s.state.incidents);
  const outbox = useOutbox((s) => s.items);
  const items = useMemo(
    () => ownOpenItems({ actionItems, incidents }, session.actorId),
    [actionItems, incidents, session.actorId],
  );
  const pending = useMemo(() => pendingDone(userItems(outbox, session.user.id)), [outbox, session.user.id]);
  const actor = actorLabel(session.region, session.actorId);
  // Offline or before the first catch-up, "none" would be a false all-clear.
  const caughtUp = useCaughtUp();
  return (
    <div className="phone-picture__items" data-testid="phone-own-items">
      <h3>{t('phone.picture.items', { actor })}</h3>
      {items.length === 0 ? (
        <p className="empty" data-testid="phone-own-items-empty">
          {caughtUp ? t('phone.picture.noItems', { actor }) : t('phone.picture.notLive')}
        </p>
      ) : (
        <ul className="phone-items">
          {items.map((item) => (
            <OwnItem key={item.id} item={item} session={session} pending={pending.has(item.id)} />
          ))}
        </ul>
      )}
    </div>
  );
}

function OwnItem({ item, session, pending }: { item: ActionItem; session: SessionInfo; pending: boolean }) {
  const { t, i18n } = useTranslation();
  const incidentTitle = usePicture((s) =>
    item.incidentId === null ? null : (s.state.incidents[item.incidentId]?.title ?? null),
  );
  const [sentId, setSentId] = useState<string | null>(null);
  // Owners' senders may mark their own items done (the shared rule); the hub decides.
  const mayMark = can(session, 'actionItem.setStatus');
  const markDone = () =>
    void submit(session, 'actionItem.setStatus', { itemId: item.id, status: 'done' }).then(setSentId);
  return (
    <li className="phone-item" data-testid={`phone-item-${item.id}`}>
      <p className="phone-item__text">
        <span className="phone-item__kind">{t(`conference.items.kind.${item.kind}`)}:</span> {item.text}
      </p>
      <p className="phone-picture__meta">
        {incidentTitle ?? t('phone.picture.fromOrdinary')}
        {item.dueAt && (
          <>
            {' · '}
            <time dateTime={item.dueAt}>
              {t('phone.picture.due', { time: formatTime(item.dueAt, i18n.language) })}
            </time>
          </>
        )}
      </p>
      {/* Read from the outbox, so it holds after a reload too; no second tap meanwhile. */}
      {pending && (
        <p className="phone-item__pending" role="status">
          {t('phone.picture.donePending')}
        </p>
      )}
      {!pending && mayMark && (
        <button
          type="button"
          className="button phone-item__done"
          aria-label={t('phone.picture.markDoneLabel', { text: item.text })}
          onClick={markDone}
        >
          {t('phone.picture.markDone')}
        </button>
      )}
      {/* What the hub made of the tap: when refused, why (and the button is back to try again). */}
      {!pending && <CommandStatus itemId={sentId} />}
    </li>
  );
}
