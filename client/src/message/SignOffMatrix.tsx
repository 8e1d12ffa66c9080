import {
  hasApproved,
  latestMessageVersion,
  signOffMatrix,
  type JointMessage,
  type RegionConfig,
  type SignOff,
} from '@lagesbild/shared';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';

/** One actor's answer to one version: the decision in words, when, by whom and any comment. */
function Answer({ signOff, named }: { signOff: SignOff | null; named: boolean }) {
  const { t } = useTranslation();
  if (!signOff) {
    return named ? (
      <span className="missing">{t('message.signOff.noAnswer')}</span>
    ) : (
      <span className="message-matrix__not-named">{t('message.signOff.notNamedCell')}</span>
    );
  }
  const approved = signOff.decision === 'approved';
  return (
    <span className={approved ? 'message-matrix__approved' : 'message-matrix__change'}>
      <strong>
        {approved
          ? t(signOff.byDrafting ? 'message.signOff.approvedBySaving' : 'message.signOff.approved')
          : t('message.signOff.changeRequested')}
      </strong>{' '}
      <Time iso={signOff.at} />
      <span className="message-matrix__by"> – {signOff.by.userName}</span>
      {signOff.comment && <span className="message-matrix__comment prewrap">: ”{signOff.comment}”</span>}
    </span>
  );
}

/**
 * Who approved which version and when, in the style of the acknowledgement matrix: one row
 * per actor any version names (the latest version's first, the owner first), one column per
 * version, newest first. Each answer says in words whether it approved or asked for a
 * change, with the comment. The count and the marking of who is missing concern only the
 * latest version's approvers: an actor no longer named is shown, not waited for.
 */
export function SignOffMatrix({ message, region }: { message: JointMessage; region: RegionConfig }) {
  const { t } = useTranslation();
  const headingId = useId();
  const matrix = useMemo(() => signOffMatrix(message), [message]);
  const latest = latestMessageVersion(message);
  if (!latest) return null;
  // Newest first: the version being signed off is the one people look for.
  const columns = matrix.versions.map((version, index) => ({ version, index })).reverse();
  const approvers = latest.approverActorIds;
  const approved = approvers.filter((id) => hasApproved(latest, id)).length;
  const namedOn = (index: number, actorId: string) =>
    message.versions[index]?.approverActorIds.includes(actorId) ?? false;

  return (
    <section className="message-matrix-section" aria-labelledby={headingId}>
      <h4 id={headingId}>{t('message.signOff.matrixTitle')}</h4>
      <p className="summary-line" data-testid="signoff-summary">
        {t('message.signOff.summary', { approved, total: approvers.length, version: latest.version })}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={headingId}>
        <table className="table message-matrix" data-testid="signoff-matrix">
          <caption className="visually-hidden">{t('message.signOff.matrixCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('message.signOff.actor')}</th>
              {columns.map(({ version }) => (
                <th key={version} scope="col" data-version={version}>
                  {t('message.versionLabel', { version })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.rows.map((row) => {
              const latestCell = row.cells.at(-1) ?? null;
              const namedNow = approvers.includes(row.actorId);
              return (
                <tr
                  key={row.actorId}
                  data-testid={`signoff-${row.actorId}`}
                  data-answer={namedNow ? (latestCell?.decision ?? 'none') : 'notNamed'}
                  className={!namedNow || latestCell?.decision === 'approved' ? undefined : 'row--missing'}
                >
                  <th scope="row">
                    {actorLabel(region, row.actorId)}
                    {row.actorId === message.ownerActorId && (
                      <span className="message-matrix__owner"> ({t('message.signOff.owner')})</span>
                    )}
                    {!namedNow && (
                      <span className="message-matrix__not-named">
                        {' '}
                        ({t('message.signOff.noLongerNamed')})
                      </span>
                    )}
                  </th>
                  {columns.map(({ version, index }) => (
                    <td key={version} data-version={version}>
                      <Answer signOff={row.cells[index] ?? null} named={namedOn(index, row.actorId)} />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
