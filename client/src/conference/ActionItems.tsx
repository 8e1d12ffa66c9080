import {
  itemsOfConference,
  LIMITS,
  type ActionItem,
  type ActionItemStatus,
  type Conference,
  type SessionInfo,
} from '@lagesbild/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { Time } from '../components/Time';
import { actorLabel, byName } from '../domain/actors';
import { fromLocalInput } from '../domain/format';
import { newId } from '../domain/ids';
import { submit } from '../features/submit';
import { useOnSent, useSend } from '../hooks/use-send';
import { usePicture } from '../stores/picture';
import { conferenceDraftKey, useConferenceDraft } from './conference-drafts';
import { chairRecords, statusChoices } from './conference-rights';

const STATUS_ACTION: Record<ActionItemStatus, 'markDone' | 'reopen' | 'cancel'> = {
  done: 'markDone',
  open: 'reopen',
  cancelled: 'cancel',
};

/** One decision or action item: what, whose, by when, its status, and what the user may do with it. */
export function ActionItemRow({
  session,
  item,
  conference,
}: {
  session: SessionInfo;
  item: ActionItem;
  conference: Conference | undefined;
}) {
  const { t } = useTranslation();
  const sending = useSend();
  const choices = statusChoices(session, item, conference);
  const setStatus = (status: ActionItemStatus) =>
    void sending.send(() => submit(session, 'actionItem.setStatus', { itemId: item.id, status }));
  return (
    <li
      className={`action-item action-item--${item.status}`}
      data-testid={`action-item-${item.id}`}
      data-status={item.status}
    >
      <p className="action-item__head">
        <span className="chip">{t(`conference.items.kind.${item.kind}`)}</span>{' '}
        <span className={`chip action-item__status action-item__status--${item.status}`}>
          {t(`conference.items.status.${item.status}`)}
        </span>
      </p>
      <p className="prewrap action-item__text">{item.text}</p>
      <p className="action-item__meta">
        {t('conference.items.ownerLine', { actor: actorLabel(session.region, item.ownerActorId) })}
        {item.dueAt && (
          <>
            {' · '}
            {t('conference.items.dueLabel')} <Time iso={item.dueAt} />
          </>
        )}
      </p>
      {choices.length > 0 && (
        <div className="form__inline">
          {choices.map((status) => (
            <button
              key={status}
              type="button"
              className={`button button--small${status === 'done' ? ' button--primary' : ''}`}
              disabled={sending.pending}
              onClick={() => setStatus(status)}
            >
              {t(`conference.items.${STATUS_ACTION[status]}`)}
              <span className="visually-hidden">: {item.text}</span>
            </button>
          ))}
          <CommandStatus itemId={sending.itemId} />
        </div>
      )}
    </li>
  );
}

/**
 * The chair's draft of a decision. Its `itemId` is made once per draft, so a second click or
 * a resend names the same item and can never record it twice.
 */
const ItemDraft = z.object({
  itemId: z.string(),
  kind: z.enum(['decision', 'action']),
  text: z.string(),
  owner: z.string(),
  due: z.string(),
});
type ItemDraft = z.infer<typeof ItemDraft>;
const emptyDraft = (): ItemDraft => ({ itemId: newId(), kind: 'decision', text: '', owner: '', due: '' });
type ItemProblems = Partial<Record<'text' | 'owner' | 'due', 'required' | 'badTime'>>;

/** Checks the chair's draft; the owner is required, so every decision has someone to follow it up. */
export function validateItemDraft(draft: Omit<ItemDraft, 'itemId'>): ItemProblems {
  const problems: ItemProblems = {};
  if (draft.text.trim() === '') problems.text = 'required';
  if (draft.owner === '') problems.owner = 'required';
  if (draft.due !== '' && fromLocalInput(draft.due) === null) problems.due = 'badTime';
  return problems;
}

function RecordForm({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const kindId = useId();
  const ownerId = useId();
  const dueId = useId();
  // Kept across a step change, a tab switch and a reload; dropped once the hub has it.
  const { draft, change, discard } = useConferenceDraft(
    conferenceDraftKey('actionItem', session.user.id, conference.id),
    ItemDraft,
    emptyDraft,
  );
  const [problems, setProblems] = useState<ItemProblems>({});
  const sending = useSend();
  useOnSent(sending.itemId, () => discard());
  const actors = useMemo(() => [...session.region.actors].sort(byName), [session.region.actors]);
  const update = (next: Partial<ItemDraft>) => change({ ...draft, ...next });

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateItemDraft(draft);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    void sending.send(() =>
      submit(session, 'actionItem.record', {
        itemId: draft.itemId,
        conferenceId: conference.id,
        kind: draft.kind,
        text: draft.text.trim(),
        ownerActorId: draft.owner,
        dueAt: draft.due === '' ? null : fromLocalInput(draft.due),
      }),
    );
  };

  const error = (field: keyof ItemProblems) => {
    const problem = problems[field];
    return problem ? t(`conference.items.${problem}`) : null;
  };

  return (
    <form className="form action-item-form" onSubmit={handleSubmit} noValidate>
      <div className="form__field">
        <label htmlFor={kindId}>{t('conference.items.kindLabel')}</label>
        <select
          id={kindId}
          value={draft.kind}
          onChange={(e) => update({ kind: e.target.value === 'action' ? 'action' : 'decision' })}
        >
          <option value="decision">{t('conference.items.kind.decision')}</option>
          <option value="action">{t('conference.items.kind.action')}</option>
        </select>
      </div>
      <TextField
        label={t('conference.items.text')}
        value={draft.text}
        onChange={(text) => update({ text })}
        maxLength={LIMITS.maxTextLength}
        multiline
        rows={2}
        required
        error={error('text')}
      />
      <div className="form__field">
        <label htmlFor={ownerId}>
          {t('conference.items.owner')}
          <span aria-hidden="true"> *</span>
        </label>
        <select
          id={ownerId}
          value={draft.owner}
          required
          aria-invalid={problems.owner ? true : undefined}
          aria-describedby={problems.owner ? `${ownerId}-error` : undefined}
          onChange={(e) => update({ owner: e.target.value })}
        >
          <option value="">{t('conference.rollCall.choose')}</option>
          {actors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        {problems.owner && (
          <p className="field-error" id={`${ownerId}-error`}>
            {error('owner')}
          </p>
        )}
      </div>
      <div className="form__field">
        <label htmlFor={dueId}>{t('conference.items.due')}</label>
        <input
          id={dueId}
          type="datetime-local"
          value={draft.due}
          aria-invalid={problems.due ? true : undefined}
          onChange={(e) => update({ due: e.target.value })}
        />
        {problems.due && <p className="field-error">{error('due')}</p>}
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={sending.pending}>
          {t('conference.items.record')}
        </button>
      </div>
      <CommandStatus itemId={sending.itemId} />
    </form>
  );
}

/**
 * The conference's decisions and action items, in the order they were recorded, with the
 * chair's form to record more. Shown at every step: decisions fall when they fall.
 */
export function ActionItems({ session, conference }: { session: SessionInfo; conference: Conference }) {
  const { t } = useTranslation();
  const actionItems = usePicture((s) => s.state.actionItems);
  const items = useMemo(
    () => itemsOfConference({ actionItems }, conference.id),
    [actionItems, conference.id],
  );
  const headingId = useId();
  return (
    <section className="conference-items" aria-labelledby={headingId} data-testid="conference-items">
      <h4 id={headingId}>{t('conference.items.title')}</h4>
      {items.length === 0 ? (
        <p className="empty">{t('conference.items.none')}</p>
      ) : (
        <ul className="action-items">
          {items.map((item) => (
            <ActionItemRow key={item.id} session={session} item={item} conference={conference} />
          ))}
        </ul>
      )}
      {chairRecords(session, conference, 'actionItem.record') && (
        <RecordForm session={session} conference={conference} />
      )}
    </section>
  );
}
