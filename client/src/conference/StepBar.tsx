import { CONFERENCE_STEPS, type Conference, type ConferenceStep, type SessionInfo } from '@lagesbild/shared';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { submit } from '../features/submit';
import { useSend } from '../hooks/use-send';
import { chairRuns } from './conference-rights';
import { nextStepOf, previousStepOf, stepIndex } from './conference-view';

/**
 * The agenda's seven steps with the current one marked, the same on every screen; the chair
 * moves it. A step change is announced politely, so a screen reader hears where the
 * conference went without losing its place.
 */
export function StepBar({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const sending = useSend();
  const current = conference.step;
  const chair = current !== null && chairRuns(session, conference, 'conference.step');
  const next = current && nextStepOf(current);
  const previous = current && previousStepOf(current);

  // `fromStep` is the step this screen shows: a second click on a stale screen is refused.
  // While one move is on its way the buttons wait, so a double click is not read as a
  // refusal of the first.
  const move = (from: ConferenceStep, to: ConferenceStep) =>
    void sending.send(() =>
      submit(session, 'conference.step', { conferenceId: conference.id, fromStep: from, toStep: to }),
    );

  return (
    <nav className="conference-steps" aria-label={t('conference.steps.label')}>
      <ol className="conference-steps__list" data-testid="conference-step-bar">
        {CONFERENCE_STEPS.map((step, index) => {
          const isCurrent = step === current;
          const done = index < stepIndex(current);
          return (
            <li
              key={step}
              className={`conference-steps__step${isCurrent ? ' conference-steps__step--current' : ''}${
                done ? ' conference-steps__step--done' : ''
              }`}
              aria-current={isCurrent ? 'step' : undefined}
              data-testid={isCurrent ? 'conference-step' : undefined}
              data-step={step}
            >
              <span className="conference-steps__number" aria-hidden="true">
                {index + 1}
              </span>{' '}
              {t(`conference.steps.${step}`)}
              {/* The colour says it to the eye; these words say it to everyone else. */}
              {done && <span className="visually-hidden"> ({t('conference.stepDone')})</span>}
            </li>
          );
        })}
      </ol>
      <p className="conference-steps__now" aria-live="polite" data-testid="conference-step-now">
        {current &&
          t('conference.stepOf', {
            number: stepIndex(current) + 1,
            total: CONFERENCE_STEPS.length,
            step: t(`conference.steps.${current}`),
          })}
      </p>
      {/* Both buttons stay at the first and last step, marked unavailable rather than
          `disabled` (which drops the focus of the button just pressed), so focus stays put. */}
      {chair && (
        <div className="form__inline conference-steps__controls">
          <button
            type="button"
            className="button"
            aria-disabled={!previous || sending.pending}
            onClick={() => previous && !sending.pending && move(current, previous)}
          >
            {t('conference.previousStep')}
          </button>
          <button
            type="button"
            className="button button--primary"
            aria-disabled={!next || sending.pending}
            onClick={() => next && !sending.pending && move(current, next)}
          >
            {t('conference.nextStep')}
          </button>
          <CommandStatus itemId={sending.itemId} />
        </div>
      )}
    </nav>
  );
}
