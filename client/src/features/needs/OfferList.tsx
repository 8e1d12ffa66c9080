import type { Incident, Offer, SessionInfo } from '@lagesbild/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../../components/CommandStatus';
import { Time } from '../../components/Time';
import { actorLabel } from '../../domain/actors';
import { submit } from '../submit';
import { mayAnswer } from './need-rows';

/** Who offered what towards one need, and the needing actor's answer to each offer. */
export function OfferList({
  session,
  incident,
  offers,
}: {
  session: SessionInfo;
  incident: Incident;
  offers: Offer[];
}) {
  const { t } = useTranslation();
  const [sentItem, setSentItem] = useState<string | null>(null);
  if (offers.length === 0) return null;

  const answer = async (offer: Offer, answer: 'accepted' | 'declined') =>
    setSentItem(await submit(session, 'offer.answer', { offerId: offer.id, answer }));

  return (
    <div className="offers">
      <p className="offers__title">{t('offers.title', { count: offers.length })}</p>
      <ul className="offers__list" data-testid="offers">
        {offers.map((offer) => {
          const from = actorLabel(session.region, offer.fromActorId);
          return (
            <li key={offer.id} className="offers__item" data-testid="offer" data-status={offer.status}>
              <p className="needs-list__head">
                <strong>{t('offers.from', { actor: from })}</strong>
                <span className={`chip offer-chip offer-chip--${offer.status}`}>
                  {t(`offers.status.${offer.status}`)}
                </span>
              </p>
              <p>
                {offer.what}
                {offer.quantity && <> · {t('offers.quantityShown', { quantity: offer.quantity })}</>}
              </p>
              <p className="offers__meta">
                {t('offers.availableFromShown')} <Time iso={offer.availableAt} /> · {offer.by.userName}
              </p>
              {offer.note && <p className="prewrap">{offer.note}</p>}
              {mayAnswer(session, incident, offer) && (
                <div className="form__actions">
                  <button
                    type="button"
                    className="button button--small button--primary"
                    aria-label={t('offers.acceptFrom', { actor: from, what: offer.what })}
                    onClick={() => void answer(offer, 'accepted')}
                  >
                    {t('offers.accept')}
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('offers.declineFrom', { actor: from, what: offer.what })}
                    onClick={() => void answer(offer, 'declined')}
                  >
                    {t('offers.decline')}
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <CommandStatus itemId={sentItem} />
    </div>
  );
}
