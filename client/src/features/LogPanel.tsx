import { LIMITS, newestFirst, type Sharing, type SessionInfo } from '@lagesbild/shared';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { CommandStatus } from '../components/CommandStatus';
import { SharingField } from '../components/SharingField';
import { TextField } from '../components/TextField';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { clearDraft, loadDraft, saveDraft } from '../domain/drafts';
import { newId } from '../domain/ids';
import { SHARING_SCOPES } from '../domain/report-draft';
import { can } from '../domain/rights';
import { usePicture } from '../stores/picture';
import { logDraftKey } from './draft-keys';
import { submit } from './submit';

const LogDraft = z.object({
  text: z.string(),
  sharingScope: z.enum(SHARING_SCOPES),
  sharingActorIds: z.array(z.string()),
});
type LogDraft = z.infer<typeof LogDraft>;
const emptyLogDraft = (): LogDraft => ({ text: '', sharingScope: 'region', sharingActorIds: [] });

/**
 * The shared log of an incident (or the general log): decisions, observations, minutes.
 * The parent remounts it (by key) when a refused entry is put back into the draft.
 */
export function LogPanel({ session, incidentId }: { session: SessionInfo; incidentId: string | null }) {
  const { t } = useTranslation();
  const entries = usePicture((s) => s.state.logEntries);
  const list = useMemo(
    () =>
      Object.values(entries)
        .filter((e) => e.incidentId === incidentId)
        .sort(newestFirst),
    [entries, incidentId],
  );
  const key = logDraftKey(session.user.id, incidentId);
  const [current, setCurrent] = useState<LogDraft>(() => loadDraft(key, LogDraft) ?? emptyLogDraft());
  const [problem, setProblem] = useState<'required' | 'noActors' | null>(null);
  const [sentItem, setSentItem] = useState<string | null>(null);

  const update = (change: Partial<LogDraft>) => {
    const value = { ...current, ...change };
    setCurrent(value);
    saveDraft(key, value);
  };

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (current.text.trim() === '') return setProblem('required');
    if (current.sharingScope === 'actors' && current.sharingActorIds.length === 0)
      return setProblem('noActors');
    setProblem(null);
    const sharing: Sharing =
      current.sharingScope === 'actors'
        ? { scope: 'actors', actorIds: current.sharingActorIds }
        : { scope: current.sharingScope };
    const itemId = await submit(session, 'logEntry.add', {
      entryId: newId(),
      incidentId,
      text: current.text.trim(),
      sharing,
    });
    setSentItem(itemId);
    clearDraft(key);
    setCurrent(emptyLogDraft());
  };

  return (
    <section aria-labelledby="log-heading" className="section">
      <h3 id="log-heading">{incidentId ? t('log.title') : t('log.generalTitle')}</h3>
      {can(session, 'logEntry.add') && (
        <form className="form log-form" onSubmit={(e) => void handleSubmit(e)} noValidate>
          <TextField
            label={t('log.text')}
            value={current.text}
            onChange={(text) => update({ text })}
            maxLength={LIMITS.maxTextLength}
            multiline
            rows={2}
            error={problem === 'required' ? t('form.required') : null}
          />
          <SharingField
            region={session.region}
            ownActorId={session.actorId}
            scope={current.sharingScope}
            actorIds={current.sharingActorIds}
            onChange={(sharingScope, sharingActorIds) => update({ sharingScope, sharingActorIds })}
            error={problem === 'noActors' ? t('reportForm.errors.noActors') : null}
          />
          <div className="form__actions">
            <button type="submit" className="button button--primary">
              {t('log.submit')}
            </button>
          </div>
          <CommandStatus itemId={sentItem} />
        </form>
      )}
      {list.length === 0 ? (
        <p className="empty">{t('log.empty')}</p>
      ) : (
        <ol className="log-list" data-testid="log">
          {list.map((entry) => (
            <li key={entry.id} className="log-entry">
              <p className="log-entry__meta">
                <Time iso={entry.at} /> · {actorLabel(session.region, entry.by.actorId)} · {entry.by.userName}
              </p>
              <p className="prewrap">{entry.text}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
