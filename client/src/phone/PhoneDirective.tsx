import { ITEM_OUTCOMES, type ItemOutcome, type SessionInfo } from '@lagesbild/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { actorLabel } from '../domain/actors';
import { can } from '../domain/rights';
import { submit } from '../features/submit';
import { useNow } from '../hooks/use-now';
import { useOutbox, userItems } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { formatWhen } from '../wall/wall-format';
import {
  pendingDirectiveCommands,
  phoneDirective,
  type OwnDirectiveItem,
  type PendingDirectiveCommands,
} from './phone-directive';

/** A report from the field is a line or two; the dashboard takes longer texts. */
export const OUTCOME_TEXT_LENGTH = 500;

/**
 * The directive in force of an incident as the phone shows it: the purpose, and the items
 * the person's actor owns, each confirmed ("mottaget och omhändertaget") and then reported
 * on by those allowed, through the outbox like every other phone command.
 */
export function PhoneDirective({ incidentId, session }: { incidentId: string; session: SessionInfo }) {
  const { t, i18n } = useTranslation();
  const now = useNow(30_000);
  const directives = usePicture((s) => s.state.directives);
  const outbox = useOutbox((s) => s.items);
  const shown = useMemo(
    () => phoneDirective({ directives }, incidentId, session.actorId, new Date(now).toISOString()),
    [directives, incidentId, session.actorId, now],
  );
  const pending = useMemo(
    () => pendingDirectiveCommands(userItems(outbox, session.user.id)),
    [outbox, session.user.id],
  );
  if (!shown) return null;
  const { version, items } = shown;
  const actor = actorLabel(session.region, session.actorId);
  return (
    <div className="phone-directive" data-testid="phone-directive" data-version={version.version}>
      <h4>
        {t('phone.directive.heading')}{' '}
        <span className="phone-picture__meta">
          {t('phone.directive.when', {
            version: version.version,
            decided: formatWhen(version.decidedAt, now, i18n.language),
            until: formatWhen(version.content.validUntil, now, i18n.language),
          })}
        </span>
      </h4>
      {version.content.underReadiness && (
        <p className="phone-directive__readiness">{t('phone.directive.underReadiness')}</p>
      )}
      <p className="phone-directive__purpose">{version.content.purpose}</p>
      <h5 className="phone-directive__items-heading">{t('phone.directive.items', { actor })}</h5>
      {items.length === 0 ? (
        <p className="empty">{t('phone.directive.noItems', { actor })}</p>
      ) : (
        <ul className="phone-items" data-testid="phone-directive-items">
          {items.map((own) => (
            <DirectiveItemRow
              key={own.item.id}
              own={own}
              directiveId={shown.directive.id}
              session={session}
              pending={pending}
              now={now}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

type DirectiveItemRowProps = {
  own: OwnDirectiveItem;
  directiveId: string;
  session: SessionInfo;
  pending: PendingDirectiveCommands;
  /** Times of today read as "13:05", of another day with the date. */
  now: number;
};

function DirectiveItemRow({ own, directiveId, session, pending, now }: DirectiveItemRowProps) {
  const { t, i18n } = useTranslation();
  const { item, followUp } = own;
  const [sentId, setSentId] = useState<string | null>(null);
  const [reporting, setReporting] = useState(false);
  const confirmPending = pending.confirm.has(item.id);
  const reportPending = pending.report.has(item.id);
  // Owners' duty officers and coordinators may; the hub checks the owner and the version.
  const mayConfirm = can(session, 'directive.confirm');
  const mayReport = can(session, 'directive.reportItem');

  const confirm = () =>
    void submit(session, 'directive.confirm', { directiveId, itemId: item.id }).then(setSentId);
  const report = (outcome: ItemOutcome, text: string) => {
    setReporting(false);
    void submit(session, 'directive.reportItem', { directiveId, itemId: item.id, outcome, text }).then(
      setSentId,
    );
  };

  return (
    <li className="phone-item" data-testid={`phone-directive-item-${item.id}`}>
      <p className="phone-item__text">{item.text}</p>
      {followUp ? (
        <p className="phone-picture__meta">
          {t('phone.directive.confirmedBy', {
            time: formatWhen(followUp.confirmedAt, now, i18n.language),
            name: followUp.confirmedBy.userName,
          })}
        </p>
      ) : (
        <p className="phone-picture__meta">{t('phone.directive.notConfirmed')}</p>
      )}
      {followUp?.outcome && (
        <p className={`phone-directive__outcome phone-directive__outcome--${followUp.outcome}`}>
          <strong>{t(`directive.outcome.${followUp.outcome}`)}</strong>
          {followUp.outcomeText.trim() !== '' && <> – {followUp.outcomeText}</>}
          {followUp.reportedAt && (
            <span className="phone-picture__meta">
              {' '}
              ({formatWhen(followUp.reportedAt, now, i18n.language)})
            </span>
          )}
        </p>
      )}
      {/* Read from the outbox, so it holds after a reload too; no second tap meanwhile. */}
      {confirmPending && (
        <p className="phone-item__pending" role="status">
          {t('phone.directive.confirmPending')}
        </p>
      )}
      {reportPending && (
        <p className="phone-item__pending" role="status">
          {t('phone.directive.reportPending')}
        </p>
      )}
      {!followUp && !confirmPending && mayConfirm && (
        <button
          type="button"
          className="button button--primary phone-directive__confirm"
          aria-label={t('phone.directive.confirmLabel', { text: item.text })}
          onClick={confirm}
        >
          {t('phone.directive.confirm')}
        </button>
      )}
      {followUp && !reportPending && mayReport && !reporting && (
        <button
          type="button"
          className="button phone-directive__report"
          aria-label={t(
            followUp.outcome ? 'phone.directive.reportAgainLabel' : 'phone.directive.reportLabel',
            {
              text: item.text,
            },
          )}
          onClick={() => setReporting(true)}
        >
          {t(followUp.outcome ? 'phone.directive.reportAgain' : 'phone.directive.report')}
        </button>
      )}
      {followUp && reporting && (
        <OutcomeForm
          itemText={item.text}
          initialOutcome={followUp.outcome}
          initialText={followUp.outcomeText}
          onSend={report}
          onCancel={() => setReporting(false)}
        />
      )}
      {/* What the hub made of the tap: when refused, why (and the button is back to try again). */}
      {!confirmPending && !reportPending && <CommandStatus itemId={sentId} />}
    </li>
  );
}

type OutcomeFormProps = {
  itemText: string;
  initialOutcome: ItemOutcome | null;
  initialText: string;
  onSend: (outcome: ItemOutcome, text: string) => void;
  onCancel: () => void;
};

/** Done, partly done or not done, and a line on what was done. */
function OutcomeForm({ itemText, initialOutcome, initialText, onSend, onCancel }: OutcomeFormProps) {
  const { t } = useTranslation();
  const name = useId();
  const [outcome, setOutcome] = useState<ItemOutcome | null>(initialOutcome);
  const [text, setText] = useState(initialText);
  const [missing, setMissing] = useState(false);
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (outcome === null) {
      setMissing(true);
      return;
    }
    onSend(outcome, text.trim());
  };
  return (
    <form
      className="phone-form phone-directive__form"
      aria-label={t('phone.directive.reportLabel', { text: itemText })}
      onSubmit={handleSubmit}
      noValidate
    >
      <fieldset className="phone-choices phone-directive__outcomes">
        <legend>{t('phone.directive.outcomeLegend')}</legend>
        {ITEM_OUTCOMES.map((value) => (
          <label key={value} className="phone-choice">
            <input
              type="radio"
              name={name}
              value={value}
              checked={outcome === value}
              onChange={() => {
                setOutcome(value);
                setMissing(false);
              }}
            />
            {t(`directive.outcome.${value}`)}
          </label>
        ))}
      </fieldset>
      {missing && (
        <p className="field-error" role="alert">
          {t('phone.directive.outcomeMissing')}
        </p>
      )}
      <TextField
        label={t('phone.directive.outcomeText')}
        value={text}
        onChange={setText}
        maxLength={OUTCOME_TEXT_LENGTH}
        multiline
        rows={2}
      />
      <div className="phone-actions">
        <button type="submit" className="button button--primary">
          {t('phone.directive.send')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('phone.directive.cancel')}
        </button>
      </div>
    </form>
  );
}
