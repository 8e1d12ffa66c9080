import { MESSAGE_LANGUAGES, type Incident, type SessionInfo } from '@lagesbild/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { clearDraft } from '../domain/drafts';
import { can } from '../domain/rights';
import type { KeptMessageDraft } from './message-form';
import { actorTakesPart } from './message-labels';

/** Why the user may not draft the incident's message now, as a key of `message.kept`. */
function whyNot(session: SessionInfo, incident: Incident): 'closed' | 'notTakingPart' | 'noRight' {
  if (incident.status !== 'active') return 'closed';
  if (!actorTakesPart(incident, session.region, session.actorId)) return 'notTakingPart';
  return 'noRight';
}

/**
 * A draft kept on this device when the user may no longer save it (the incident was closed,
 * the actor left out of it): its text is shown to read and copy, never thrown away unasked,
 * with why it cannot be saved and a way to throw it away.
 */
export function KeptDraftView({
  session,
  incident,
  kept,
  draftKey,
  onDiscarded,
}: {
  session: SessionInfo;
  incident: Incident;
  kept: KeptMessageDraft;
  draftKey: string;
  onDiscarded: () => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const reason = can(session, 'jointMessage.draft') ? whyNot(session, incident) : 'noRight';
  return (
    <section className="message-kept" aria-labelledby={headingId} data-testid="message-kept-readonly">
      <h4 id={headingId}>{t('message.kept.title')}</h4>
      <p className="hint">{t(`message.kept.${reason}`)}</p>
      {MESSAGE_LANGUAGES.map((language) => {
        const text = kept.form.texts[language];
        if (!text) return null;
        return (
          <div
            key={language}
            className="message-content__language"
            lang={language === 'en' ? 'en' : 'sv'}
            data-language={language}
          >
            <p className="message-content__language-name">{t(`message.language.${language}`)}</p>
            <p className="message-content__headline">{text.headline}</p>
            <p className="prewrap">{text.core}</p>
            {text.whatToDo && <p className="prewrap">{text.whatToDo}</p>}
          </div>
        );
      })}
      <div className="form__inline">
        <button
          type="button"
          className="button button--plain"
          onClick={() => {
            clearDraft(draftKey);
            onDiscarded();
          }}
        >
          {t('message.editor.discard')}
        </button>
      </div>
    </section>
  );
}
