import { openActionItems, type ActionItem, type SessionInfo } from '@lagesbild/shared';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { Time } from '../components/Time';
import { submit } from '../features/submit';
import { useNow } from '../hooks/use-now';
import { isPending } from '../outbox/outbox-item';
import { useOutbox } from '../stores/outbox';
import { usePicture } from '../stores/picture';
import { statusChoices } from './conference-rights';
import './summary.css';

/** Whether an item's due time has passed: such items stand out on the owner's dashboard. */
export const isOverdue = (item: Pick<ActionItem, 'dueAt'>, now: number): boolean =>
  item.dueAt !== null && Date.parse(item.dueAt) < now;

/**
 * "Våra åtgärdspunkter": the open decisions and action items the signed-in user's actor
 * owns, from every conference, oldest first, with where they were decided and when they
 * are due; overdue ones stand out. Those who may mark them done do it here. Nothing when
 * the actor owns none, so the overview stays quiet.
 */
export function OwnActionItems({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const headingId = useId();
  const actionItems = usePicture((s) => s.state.actionItems);
  const conferences = usePicture((s) => s.state.conferences);
  const incidents = usePicture((s) => s.state.incidents);
  const items = useMemo(
    () => openActionItems({ actionItems }, { ownerActorId: session.actorId }),
    [actionItems, session.actorId],
  );
  const now = useNow(60_000);
  const [sent, setSent] = useState<{ itemId: string; outboxId: string } | null>(null);
  const sending = useOutbox((s) => {
    const outboxItem = sent ? s.items[sent.outboxId] : undefined;
    return outboxItem !== undefined && isPending(outboxItem);
  });
  if (items.length === 0) return null;

  const markDone = async (item: ActionItem) => {
    const outboxId = await submit(session, 'actionItem.setStatus', { itemId: item.id, status: 'done' });
    setSent({ itemId: item.id, outboxId });
  };

  return (
    <section className="panel own-action-items" aria-labelledby={headingId} data-testid="own-action-items">
      <h2 id={headingId}>
        {t('ownActionItems.title')} <span className="count">({items.length})</span>
      </h2>
      <ul className="own-action-items__list">
        {items.map((item) => {
          const conference = conferences[item.conferenceId];
          const incident = item.incidentId ? incidents[item.incidentId] : undefined;
          const overdue = isOverdue(item, now);
          const mayMarkDone = statusChoices(session, item, conference).includes('done');
          return (
            <li
              key={item.id}
              className={overdue ? 'own-action-item own-action-item--overdue' : 'own-action-item'}
              data-testid={`own-action-item-${item.id}`}
            >
              <p className="own-action-item__text prewrap">
                <strong>{t(`minutes.kind.${item.kind}`)}:</strong> {item.text}
              </p>
              <p className="own-action-item__meta">
                {incident ? incident.title : t('ownActionItems.ordinaryMode')}
                {conference && (
                  <>
                    {' · '}
                    {conference.title} <Time iso={conference.openedAt ?? conference.scheduledAt} />
                  </>
                )}
              </p>
              <p className="own-action-item__due">
                {item.dueAt ? (
                  <>
                    {t('ownActionItems.due')} <Time iso={item.dueAt} />
                  </>
                ) : (
                  t('ownActionItems.noDue')
                )}
                {overdue && (
                  <>
                    {' '}
                    <strong className="own-action-item__overdue">{t('ownActionItems.overdue')}</strong>
                  </>
                )}
              </p>
              {mayMarkDone && (
                <button
                  type="button"
                  className="button button--small"
                  disabled={sending && sent?.itemId === item.id}
                  onClick={() => void markDone(item)}
                >
                  {t('ownActionItems.done')}
                  <span className="visually-hidden">: {item.text}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <CommandStatus itemId={sent?.outboxId ?? null} />
    </section>
  );
}
