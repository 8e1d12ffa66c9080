import type { Incident, NeedCoverage, SessionInfo } from '@lagesbild/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../../components/CommandStatus';
import { StatusChip } from '../../components/StatusChip';
import { Time } from '../../components/Time';
import { newId } from '../../domain/ids';
import { useOnSent, useSend } from '../../hooks/use-send';
import { discardItem } from '../../outbox';
import { submit } from '../submit';
import { emptyOfferDraft, offerPayload, type OfferDraft, type OfferDraftErrors } from './offer-draft';
import { OfferForm } from './OfferForm';
import { OfferList } from './OfferList';
import { OfferStatus, type NewerNeed } from './OfferStatus';
import { mayOffer, maySettle, offerClosedReason, type NeedRow } from './need-rows';
import { SettleForm } from './SettleForm';

/** The report an offer is made on: the need as the person read it. */
type SeenNeed = { reportId: string; seq: number };

/** One actor's need: its text and status, the offers made, and what this user may do about it. */
export function NeedItem({
  session,
  incident,
  row,
}: {
  session: SessionInfo;
  incident: Incident;
  row: NeedRow;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'idle' | 'offering' | 'settling'>('idle');
  const [draft, setDraft] = useState<OfferDraft>(() => emptyOfferDraft(new Date().toISOString()));
  const [errors, setErrors] = useState<OfferDraftErrors>({});
  const [seen, setSeen] = useState<SeenNeed>({ reportId: row.reportId, seq: row.seq });
  // The forms stay open until the hub has accepted what they sent: a refusal is read beside
  // what was written, and a second click meanwhile sends nothing.
  const offering = useSend();
  const settling = useSend();
  const [offerItem, setOfferItem] = useState<string | null>(null);
  useOnSent(offerItem, () => setMode('idle'));
  useOnSent(settling.itemId, () => setMode('idle'));

  const canOffer = mayOffer(session, incident, row);
  const canSettle = maySettle(session, incident, row);
  const current: SeenNeed = { reportId: row.reportId, seq: row.seq };

  const startOffer = () => {
    setDraft(emptyOfferDraft(new Date().toISOString()));
    setErrors({});
    setSeen(current);
    setMode('offering');
  };

  // Reading the need again: the offer keeps what was written and is made on the newest need.
  const lookAgain = (newer: NewerNeed | null) => {
    if (offerItem) void discardItem(offerItem);
    setOfferItem(null);
    setSeen(newer && newer.seq > current.seq ? newer : current);
    setMode('offering');
  };

  const sendOffer = async () => {
    const result = offerPayload(
      draft,
      { incidentId: incident.id, needActorId: row.actorId, reportId: seen.reportId },
      newId(),
    );
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    const itemId = await offering.send(() => submit(session, 'offer.make', result.payload));
    if (itemId !== null) setOfferItem(itemId);
  };

  const settle = (coverage: NeedCoverage, note: string) =>
    void settling.send(() =>
      submit(session, 'need.settle', {
        incidentId: incident.id,
        reportId: row.reportId,
        coverage,
        note,
      }),
    );

  // A form the person had open can no longer be sent (the incident closed, the need was
  // covered, the offers are full): it goes, and the person is told why rather than left
  // looking for it.
  const goneForm =
    (mode === 'offering' && !canOffer) || (mode === 'settling' && !canSettle)
      ? offerClosedReason(incident, row)
      : null;

  return (
    <li className="needs-list__item" data-testid="need" data-need-status={row.needStatus}>
      <p className="needs-list__head">
        <strong>{row.actorName}</strong> <StatusChip status={row.status} /> <Time iso={row.at} />
        <span className={`chip need-chip need-chip--${row.needStatus}`} data-testid="need-status">
          {t(`needs.status.${row.needStatus}`)}
        </span>
      </p>
      <p className="prewrap">{row.needs}</p>
      {row.settlement && (
        <p className="needs-list__settlement" data-testid="need-settlement">
          {t('needs.settledBy', { name: row.settlement.by.userName })} <Time iso={row.settlement.at} />
          {row.settlement.note && <> · {row.settlement.note}</>}
        </p>
      )}
      <OfferList session={session} incident={incident} offers={row.offers} />

      {mode === 'offering' && canOffer && (
        <OfferForm
          actorName={row.actorName}
          draft={draft}
          errors={errors}
          changedMeanwhile={row.seq > seen.seq}
          onReadAgain={() => setSeen(current)}
          onChange={setDraft}
          onSubmit={() => void sendOffer()}
          onCancel={() => setMode('idle')}
          pending={offering.pending}
        />
      )}
      {mode === 'settling' && canSettle && (
        <SettleForm
          current={row.settlement}
          onSubmit={settle}
          onCancel={() => setMode('idle')}
          pending={settling.pending}
        />
      )}
      {goneForm && (
        <div className="notice" role="status" data-testid="need-form-gone">
          <p>{t(`needs.formGone.${goneForm}`)}</p>
          <button type="button" className="button button--small" onClick={() => setMode('idle')}>
            {t('needs.formGone.close')}
          </button>
        </div>
      )}
      {mode === 'idle' && (canOffer || canSettle) && (
        <div className="form__actions">
          {canOffer && (
            <button
              type="button"
              className="button button--small"
              aria-label={t('offers.makeFor', { actor: row.actorName })}
              onClick={startOffer}
            >
              {t('offers.make')}
            </button>
          )}
          {canSettle && (
            <button type="button" className="button button--small" onClick={() => setMode('settling')}>
              {t('needs.settle')}
            </button>
          )}
        </div>
      )}
      <OfferStatus itemId={offerItem} onLookAgain={lookAgain} />
      <CommandStatus itemId={settling.itemId} />
    </li>
  );
}
