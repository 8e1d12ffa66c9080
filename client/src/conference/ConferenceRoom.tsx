import { sinceLastConferenceSeq, type Conference, type SessionInfo } from '@lagesbild/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { usePicture } from '../stores/picture';
import { ActionItems } from './ActionItems';
import { AssessmentStep } from './AssessmentStep';
import { chairMay } from './conference-rights';
import { ConvenerPictureStep } from './ConvenerPictureStep';
import { DirectivesStep } from './DirectivesStep';
import { JointMessageStep } from './JointMessageStep';
import { LazyMinutesPanel } from './minutes/lazy';
import { NextConferenceStep } from './NextConferenceStep';
import { RollCallStep } from './RollCallStep';
import { RoundsStep } from './RoundsStep';
import { StepBar } from './StepBar';
import './conference.css';

/** What the running conference shows at its current step. */
function StepContent({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const incident = usePicture((s) =>
    conference.incidentId === null ? undefined : s.state.incidents[conference.incidentId],
  );
  const sinceSeq = usePicture((s) => sinceLastConferenceSeq(s.state, conference.incidentId));
  switch (conference.step) {
    case 'rollCall':
      return <RollCallStep session={session} conference={conference} incident={incident} />;
    case 'convenerPicture':
      return <ConvenerPictureStep session={session} conference={conference} />;
    case 'rounds':
      return <RoundsStep session={session} conference={conference} sinceSeq={sinceSeq} />;
    case 'assessment':
      return <AssessmentStep session={session} conference={conference} />;
    case 'directives':
      return <DirectivesStep session={session} conference={conference} />;
    case 'jointMessage':
      return <JointMessageStep session={session} conference={conference} />;
    case 'nextConference':
      return <NextConferenceStep session={session} conference={conference} />;
    case null:
      return null;
  }
}

/**
 * A conference as everybody sees it: the same agenda step on every screen, the chair's
 * controls for the convening actor's duty officer or coordinator. Once closed, the minutes.
 */
export function ConferenceRoom({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const headingId = useId();
  const stepHeadingId = useId();
  // The hub sends the dial-in only to the summoned; everyone else has none to show.
  const dialIn = usePicture((s) => s.state.conferenceDialIns[conference.id]?.dialIn ?? '');
  const chair = chairMay(session, conference, 'conference.step');
  return (
    <section
      className={`conference-room conference-room--${conference.status}`}
      aria-labelledby={headingId}
      data-testid="conference-room"
      data-conference-id={conference.id}
    >
      <header className="conference-room__head">
        <h3 id={headingId}>{conference.title}</h3>
        <p className="conference-room__meta">
          <span className={`chip conference-status conference-status--${conference.status}`}>
            {t(`conference.status.${conference.status}`)}
          </span>{' '}
          <Time iso={conference.openedAt ?? conference.scheduledAt} /> ·{' '}
          {t('conference.list.convener', { actor: actorLabel(session.region, conference.convenerActorId) })}
        </p>
        {dialIn !== '' && conference.status !== 'closed' && (
          <p className="conference-room__dial-in" data-testid="conference-dial-in">
            <strong>{t('conference.dialIn')}:</strong> <span className="prewrap">{dialIn}</span>
          </p>
        )}
        {chair && conference.status === 'open' && <p className="hint">{t('conference.youChair')}</p>}
      </header>
      <StepBar session={session} conference={conference} />
      {conference.status === 'open' && conference.step && (
        <section className="conference-room__step" aria-labelledby={stepHeadingId}>
          <h4 id={stepHeadingId}>{t(`conference.steps.${conference.step}`)}</h4>
          <StepContent session={session} conference={conference} />
        </section>
      )}
      {conference.status === 'closed' && (
        <>
          <p className="notice">{t('conference.closedNote')}</p>
          <LazyMinutesPanel session={session} conference={conference} />
        </>
      )}
      <ActionItems session={session} conference={conference} />
    </section>
  );
}
