import type { RegionConfig } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { actorShortLabel } from '../domain/actors';
import { formatTime } from '../domain/format';
import { currentLanguage } from '../i18n/i18n';
import { usePicture } from '../stores/picture';
import { rosterFor } from './roster';
import './roster.css';

/** Shift changes listed under the roster. */
const SHIFT_CHANGES_SHOWN = 10;

const functionName = (region: RegionConfig, functionId: string): string =>
  region.functions.find((f) => f.id === functionId)?.name[currentLanguage()] ?? functionId;

/**
 * Who is on duty on an incident: for which actor and function, in what status, since
 * when; and the recent shift changes with their hand-over notes. For the operator's
 * incident view and the phone's check-in page alike.
 */
export function Roster({ incidentId, region }: { incidentId: string | null; region: RegionConfig }) {
  const { t, i18n } = useTranslation();
  const checkins = usePicture((s) => s.state.checkins);
  const roster = useMemo(() => rosterFor({ checkins }, incidentId), [checkins, incidentId]);
  return (
    <section className="roster" aria-labelledby="roster-heading" data-testid="roster">
      <h3 id="roster-heading">{t('phone.roster.title')}</h3>
      {roster.onDuty.length === 0 && roster.summaries.length === 0 ? (
        <p className="empty">{t('phone.roster.empty')}</p>
      ) : roster.onDuty.length === 0 ? null : (
        // Focusable, so a keyboard user can scroll a table wider than the phone.
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="roster-heading">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('phone.roster.person')}</th>
                <th scope="col">{t('phone.roster.actor')}</th>
                <th scope="col">{t('phone.roster.function')}</th>
                <th scope="col">{t('phone.roster.status')}</th>
                <th scope="col">{t('phone.roster.since')}</th>
              </tr>
            </thead>
            <tbody>
              {roster.onDuty.map((c) => (
                <tr key={c.id} data-testid="roster-row" data-user-id={c.by.userId} data-status={c.status}>
                  <th scope="row">{c.by.userName}</th>
                  <td>{actorShortLabel(region, c.by.actorId)}</td>
                  <td>{functionName(region, c.by.functionId)}</td>
                  <td>{t(`phone.checkinStatus.${c.status}`)}</td>
                  <td>
                    <time dateTime={c.at}>{formatTime(c.at, i18n.language)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {roster.summaries.length > 0 && (
        <>
          <h4 id="roster-summary-heading">{t('phone.roster.otherActors')}</h4>
          <p className="hint">{t('phone.roster.otherActorsHelp')}</p>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="roster-summary-heading">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('phone.roster.actor')}</th>
                  <th scope="col">{t('phone.roster.count')}</th>
                  <th scope="col">{t('phone.roster.functions')}</th>
                </tr>
              </thead>
              <tbody>
                {roster.summaries.map((summary) => (
                  <tr
                    key={summary.actorId}
                    data-testid="roster-summary-row"
                    data-actor-id={summary.actorId}
                    data-count={summary.count}
                  >
                    <th scope="row">{actorShortLabel(region, summary.actorId)}</th>
                    <td>{summary.count}</td>
                    <td>
                      {summary.functions
                        .map((f) => `${functionName(region, f.functionId)} (${f.count})`)
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {roster.shiftChanges.length > 0 && (
        <>
          <h4>{t('phone.roster.shiftChanges')}</h4>
          <ul className="roster__changes">
            {roster.shiftChanges.slice(0, SHIFT_CHANGES_SHOWN).map((change) => (
              <li key={`${change.to.userId}-${change.at}`} data-testid="shift-change">
                <time dateTime={change.at}>{formatTime(change.at, i18n.language)}</time>{' '}
                {t('phone.roster.tookOver', {
                  to: change.to.userName,
                  from: change.from.userName,
                  function: functionName(region, change.functionId),
                  actor: actorShortLabel(region, change.actorId),
                })}
                {change.note && <blockquote className="roster__note">{change.note}</blockquote>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
