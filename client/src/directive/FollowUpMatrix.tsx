import {
  followUpMatrix,
  ITEM_OUTCOMES,
  LIMITS,
  type Directive,
  type FollowUpRow,
  type ItemOutcome,
  type SessionInfo,
} from '@lagesbild/shared';
import { Fragment, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { can } from '../domain/rights';
import { submit } from '../features/submit';
import { isPending } from '../outbox/outbox-item';
import { useOutbox } from '../stores/outbox';

type FollowUpMatrixProps = {
  session: SessionInfo;
  directive: Directive;
  /** The moment the matrix is read at: what is overdue, and whether the directive still holds. */
  now: string;
  /** Whether the latest version is in force: an expired directive is no longer confirmed or reported on. */
  inForce: boolean;
};

/** What the owner did with a confirmed item: an outcome and a short text. */
function ReportForm({
  session,
  directive,
  row,
  onSent,
  onCancel,
}: {
  session: SessionInfo;
  directive: Directive;
  row: FollowUpRow;
  onSent: (outboxId: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const legendId = useId();
  const [outcome, setOutcome] = useState<ItemOutcome | null>(row.outcome);
  const [text, setText] = useState(row.outcomeText);
  const [missing, setMissing] = useState(false);
  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (outcome === null) {
      setMissing(true);
      return;
    }
    onSent(
      await submit(session, 'directive.reportItem', {
        directiveId: directive.id,
        itemId: row.itemId,
        outcome,
        text,
      }),
    );
  };
  return (
    <form
      className="form directive-report"
      onSubmit={(e) => void handleSubmit(e)}
      noValidate
      data-testid="item-report-form"
    >
      <fieldset
        aria-invalid={missing || undefined}
        aria-describedby={missing ? `${legendId}-error` : undefined}
      >
        <legend id={legendId}>{t('directive.followUp.outcomeFor', { item: row.text })}</legend>
        {ITEM_OUTCOMES.map((value) => (
          <label key={value} className="directive-report__choice">
            <input
              type="radio"
              name={legendId}
              value={value}
              checked={outcome === value}
              onChange={() => {
                setOutcome(value);
                setMissing(false);
              }}
            />{' '}
            {t(`directive.outcome.${value}`)}
          </label>
        ))}
        {missing && (
          <p className="field-error" id={`${legendId}-error`}>
            {t('directive.followUp.chooseOutcome')}
          </p>
        )}
      </fieldset>
      <TextField
        label={t('directive.followUp.outcomeText')}
        value={text}
        onChange={setText}
        maxLength={LIMITS.maxTextLength}
        multiline
        rows={2}
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary">
          {t('directive.followUp.report')}
        </button>
        <button type="button" className="button button--plain" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * The follow-up of the latest version: each item with its owner, when the owner confirmed
 * it ("mottaget och omhändertaget") and what it reported. Items the review time has passed
 * without "done" stand out, in words as well as colour. The owner's duty officer or
 * coordinator confirms and reports its own items from their rows; nobody else can.
 */
export function FollowUpMatrix({ session, directive, now, inForce }: FollowUpMatrixProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const rows = useMemo(
    () => followUpMatrix(directive, session.region, now),
    [directive, session.region, now],
  );
  const [reporting, setReporting] = useState<string | null>(null);
  const [sent, setSent] = useState<{ itemId: string; outboxId: string } | null>(null);
  const sending = useOutbox((s) => {
    const item = sent ? s.items[sent.outboxId] : undefined;
    return item !== undefined && isPending(item);
  });
  const mayConfirm = inForce && can(session, 'directive.confirm');
  const mayReport = inForce && can(session, 'directive.reportItem');
  const own = (row: FollowUpRow) => row.ownerActorId === session.actorId;
  const anyOwn = (mayConfirm || mayReport) && rows.some(own);
  const confirmed = rows.filter((r) => r.confirmedAt !== null).length;
  const done = rows.filter((r) => r.outcome === 'done').length;
  const overdue = rows.filter((r) => r.overdue).length;

  const confirm = async (row: FollowUpRow) => {
    const outboxId = await submit(session, 'directive.confirm', {
      directiveId: directive.id,
      itemId: row.itemId,
    });
    setSent({ itemId: row.itemId, outboxId });
  };

  return (
    <section className="directive-follow-up" aria-labelledby={headingId} data-testid="follow-up">
      <h4 id={headingId}>{t('directive.followUp.title')}</h4>
      <p className="summary-line" data-testid="follow-up-summary">
        {t('directive.followUp.summary', { confirmed, done, total: rows.length })}
        {overdue > 0 && (
          <>
            {' '}
            <strong className="directive-overdue">
              {t('directive.followUp.overdueCount', { count: overdue })}
            </strong>
          </>
        )}
      </p>
      {rows.length === 0 ? (
        <p className="empty">{t('directive.followUp.noItems')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={headingId}>
          <table className="table directive-matrix" data-testid="follow-up-matrix">
            <caption className="visually-hidden">{t('directive.followUp.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('directive.followUp.item')}</th>
                <th scope="col">{t('directive.followUp.owner')}</th>
                <th scope="col">{t('directive.followUp.confirmed')}</th>
                <th scope="col">{t('directive.followUp.outcome')}</th>
                {anyOwn && <th scope="col">{t('directive.followUp.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const ownRow = own(row);
                const busy = sending && sent?.itemId === row.itemId;
                return (
                  <Fragment key={row.itemId}>
                    <tr
                      data-item-id={row.itemId}
                      data-owner={row.ownerActorId}
                      data-overdue={row.overdue}
                      className={row.overdue ? 'row--missing directive-matrix__row--overdue' : undefined}
                    >
                      <th scope="row" className="prewrap">
                        {row.text}
                      </th>
                      <td>{actorLabel(session.region, row.ownerActorId)}</td>
                      <td>
                        {row.confirmedAt ? (
                          <>
                            <Time iso={row.confirmedAt} />
                            {row.confirmedBy && (
                              <span className="directive-matrix__by"> – {row.confirmedBy.userName}</span>
                            )}
                          </>
                        ) : (
                          <span className="missing">{t('directive.followUp.notConfirmed')}</span>
                        )}
                        {/* Earlier versions' confirmations stay in the record (the item changed since). */}
                        {row.earlier.map((f) => (
                          <span
                            key={f.version}
                            className="directive-matrix__earlier"
                            data-testid="earlier-follow-up"
                          >
                            {' '}
                            ({t('directive.earlierFollowUp', { version: f.version })}{' '}
                            <Time iso={f.confirmedAt} />
                            {f.outcome && <>, {t(`directive.outcome.${f.outcome}`)}</>})
                          </span>
                        ))}
                      </td>
                      <td>
                        {row.outcome ? (
                          <>
                            <strong>{t(`directive.outcome.${row.outcome}`)}</strong>
                            {row.reportedAt && (
                              <>
                                {' '}
                                (<Time iso={row.reportedAt} />)
                              </>
                            )}
                            {row.outcomeText && (
                              <span className="directive-matrix__text prewrap"> {row.outcomeText}</span>
                            )}
                          </>
                        ) : (
                          t('directive.followUp.notReported')
                        )}
                        {row.overdue && (
                          <>
                            {' '}
                            <strong className="directive-overdue">{t('directive.followUp.overdue')}</strong>
                          </>
                        )}
                      </td>
                      {anyOwn && (
                        <td>
                          {ownRow && mayConfirm && row.confirmedAt === null && (
                            <button
                              type="button"
                              className="button button--small button--primary"
                              disabled={busy}
                              onClick={() => void confirm(row)}
                            >
                              {t('directive.followUp.confirm')}
                              <span className="visually-hidden">: {row.text}</span>
                            </button>
                          )}
                          {ownRow && mayReport && row.confirmedAt !== null && (
                            <button
                              type="button"
                              className="button button--small"
                              aria-expanded={reporting === row.itemId}

                              onClick={() => setReporting(reporting === row.itemId ? null : row.itemId)}
                            >
                              {t(
                                row.outcome
                                  ? 'directive.followUp.changeReport'
                                  : 'directive.followUp.reportOpen',
                              )}
                              <span className="visually-hidden">: {row.text}</span>
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                    {reporting === row.itemId && ownRow && mayReport && row.confirmedAt !== null && (
                      <tr className="directive-matrix__report">
                        <td colSpan={5}>
                          <ReportForm
                            session={session}
                            directive={directive}
                            row={row}
                            onCancel={() => setReporting(null)}
                            onSent={(outboxId) => {
                              setSent({ itemId: row.itemId, outboxId });
                              setReporting(null);
                            }}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {!inForce && rows.length > 0 && <p className="hint">{t('directive.followUp.expired')}</p>}
      <CommandStatus itemId={sent?.outboxId ?? null} />
    </section>
  );
}
