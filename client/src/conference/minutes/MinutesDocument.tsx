import type { Minutes, RegionConfig } from '@lagesbild/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { StatusChip } from '../../components/StatusChip';
import { actorLabel } from '../../domain/actors';
import {
  approvalText,
  presenceText,
  timeText,
  type MinutesApproval,
  type MinutesWords,
} from './minutes-text';

const ASSESSMENT_PARTS = ['situation', 'expectedDevelopment', 'consequences', 'uncertainties'] as const;

/**
 * The minutes as one document, read-only: what is printed (the print stylesheet shows this
 * element alone) and what the preview shows before approval. `approval` is null for the
 * preview.
 */
export function MinutesDocument({
  minutes,
  approval,
  region,
}: {
  minutes: Minutes;
  approval: MinutesApproval | null;
  region: RegionConfig;
}) {
  const { t, i18n } = useTranslation();
  const words: MinutesWords = { t, language: i18n.language, region };
  const headingId = useId();
  const name = (actorId: string) => actorLabel(region, actorId);

  return (
    <article className="minutes-document" aria-labelledby={headingId} data-testid="minutes-document">
      <h5 id={headingId} className="minutes-document__title">
        {t('minutes.title')}: {minutes.title}
        {minutes.incidentTitle && ` – ${minutes.incidentTitle}`}
      </h5>
      <p className={approval ? 'minutes-document__approval' : 'minutes-document__draft'}>
        {approvalText(approval, words)}
      </p>
      <dl className="minutes-document__facts">
        <div>
          <dt>{t('minutes.incident')}</dt>
          <dd>{minutes.incidentTitle || t('minutes.ordinaryMode')}</dd>
        </div>
        <div>
          <dt>{t('minutes.convener')}</dt>
          <dd>{name(minutes.convenerActorId)}</dd>
        </div>
        <div>
          <dt>{t('minutes.scheduledAt')}</dt>
          <dd>{timeText(minutes.scheduledAt, words)}</dd>
        </div>
        <div>
          <dt>{t('minutes.openedAt')}</dt>
          <dd>{timeText(minutes.openedAt, words)}</dd>
        </div>
        <div>
          <dt>{t('minutes.closedAt')}</dt>
          <dd>{timeText(minutes.closedAt, words)}</dd>
        </div>
      </dl>

      <h6>{t('minutes.participants')}</h6>
      <table className="minutes-table" data-testid="minutes-participants">
        <thead>
          <tr>
            <th scope="col">{t('minutes.actor')}</th>
            <th scope="col">{t('minutes.presence')}</th>
            <th scope="col">{t('minutes.acknowledged')}</th>
          </tr>
        </thead>
        <tbody>
          {minutes.participants.map((p) => (
            <tr key={p.actorId} data-testid={`minutes-participant-${p.actorId}`}>
              <th scope="row">{name(p.actorId)}</th>
              <td>{presenceText(p, words)}</td>
              <td>{p.acknowledged ? t('minutes.yes') : t('minutes.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h6>{t('minutes.rounds')}</h6>
      <ol className="minutes-rounds">
        {minutes.rounds.map((round) => (
          <li key={round.actorId} className="minutes-round">
            <p className="minutes-round__head">
              <strong>{name(round.actorId)}</strong> <StatusChip status={round.status} />{' '}
              <span>{round.reported ? t('minutes.reported') : t('minutes.notReported')}</span>
            </p>
            <p className="prewrap">{round.note.trim() || t('minutes.noNote')}</p>
          </li>
        ))}
      </ol>

      <h6>{t('minutes.assessment')}</h6>
      {minutes.assessment ? (
        <dl className="minutes-assessment">
          {ASSESSMENT_PARTS.map((part) => (
            <div key={part}>
              <dt>{t(`conference.assessment.${part}`)}</dt>
              <dd className="prewrap">{minutes.assessment?.[part].trim() || '–'}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p>{t('minutes.noAssessment')}</p>
      )}

      <h6>{t('minutes.decisions')}</h6>
      {minutes.decisions.length > 0 ? (
        <table className="minutes-table" data-testid="minutes-decisions">
          <thead>
            <tr>
              <th scope="col">{t('minutes.kindLabel')}</th>
              <th scope="col">{t('minutes.text')}</th>
              <th scope="col">{t('minutes.owner')}</th>
              <th scope="col">{t('minutes.due')}</th>
              <th scope="col">{t('minutes.status')}</th>
            </tr>
          </thead>
          <tbody>
            {minutes.decisions.map((d) => (
              <tr key={d.id}>
                <td>{t(`minutes.kind.${d.kind}`)}</td>
                <td className="prewrap">{d.text}</td>
                <td>{name(d.ownerActorId)}</td>
                <td>{timeText(d.dueAt, words)}</td>
                <td>{t(`minutes.itemStatus.${d.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('minutes.noDecisions')}</p>
      )}

      <h6>{t('minutes.nextConference')}</h6>
      <p>{minutes.nextConferenceAt ? timeText(minutes.nextConferenceAt, words) : t('minutes.notSet')}</p>

      <h6>{t('minutes.approval')}</h6>
      <p>{approvalText(approval, words)}</p>
      {approval && approval.correction.trim() !== '' && (
        <p className="prewrap">{t('minutes.correctionNote', { text: approval.correction.trim() })}</p>
      )}
    </article>
  );
}
