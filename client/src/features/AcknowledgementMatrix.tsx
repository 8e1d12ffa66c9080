import { formatPhoneNumber, type Contact, type Incident, type SessionInfo } from '@lagesbild/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { StatusChip } from '../components/StatusChip';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { formatDuration } from '../domain/format';
import { acknowledgementRows } from '../domain/picture';
import { useContacts } from '../hooks/use-contacts';
import { usePicture } from '../stores/picture';

/** Who has received the activation and who is missing: the roll call of a conference. */
export function AcknowledgementMatrix({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  const state = usePicture((s) => s.state);
  const rows = useMemo(
    () => acknowledgementRows(state, incident, session.region),
    [state, incident, session.region],
  );
  const acknowledged = rows.filter((r) => r.acknowledgement).length;
  // Present only when the hub counts this person's actor among the summoned.
  const dutyOfficers = useContacts()?.incidents[incident.id];
  const phonesOf = useMemo(() => {
    const byActor = new Map<string, Contact[]>();
    for (const contact of dutyOfficers ?? []) {
      byActor.set(contact.actorId, [...(byActor.get(contact.actorId) ?? []), contact]);
    }
    return byActor;
  }, [dutyOfficers]);

  return (
    <section aria-labelledby="ack-heading" className="section">
      <h3 id="ack-heading">{t('ackMatrix.title')}</h3>
      <p className="summary-line" data-testid="ack-summary">
        {t('ackMatrix.summary', { acknowledged, summoned: rows.length })}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="ack-heading">
        <table className="table" data-testid="ack-matrix">
          <caption className="visually-hidden">{t('ackMatrix.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ackMatrix.actor')}</th>
              <th scope="col">{t('ackMatrix.acknowledgedAt')}</th>
              <th scope="col">{t('ackMatrix.by')}</th>
              <th scope="col">{t('ackMatrix.timeToAcknowledge')}</th>
              <th scope="col">{t('ackMatrix.lastReport')}</th>
              <th scope="col">{t('ackMatrix.status')}</th>
              {dutyOfficers && <th scope="col">{t('contacts.dutyOfficerPhone')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.actorId}
                data-actor-id={row.actorId}
                data-acknowledged={row.acknowledgement ? 'yes' : 'no'}
                className={row.acknowledgement ? '' : 'row--missing'}
              >
                <th scope="row">{row.actorName}</th>
                <td>
                  {row.acknowledgement ? (
                    <Time iso={row.acknowledgement.at} />
                  ) : (
                    <strong className="missing">{t('ackMatrix.notAcknowledged')}</strong>
                  )}
                </td>
                <td>{row.acknowledgement?.by.userName ?? '–'}</td>
                <td>{row.timeToAcknowledgeMs === null ? '–' : formatDuration(row.timeToAcknowledgeMs)}</td>
                <td>{row.lastReportAt ? <Time iso={row.lastReportAt} /> : '–'}</td>
                <td>
                  <StatusChip status={row.status} />
                </td>
                {dutyOfficers && (
                  <td data-testid="duty-officer-phones">
                    {(phonesOf.get(row.actorId) ?? []).map((contact) => (
                      <a key={contact.accountId} className="phone-link" href={`tel:${contact.phone}`}>
                        <span className="visually-hidden">
                          {t('contacts.call', {
                            name: contact.name,
                            actor: actorLabel(session.region, contact.actorId),
                          })}
                          :{' '}
                        </span>
                        {formatPhoneNumber(contact.phone)}
                      </a>
                    ))}
                    {!phonesOf.has(row.actorId) && '–'}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
