import {
  latestReportOf,
  LIMITS,
  type ActorStatus,
  type Incident,
  type SessionInfo,
  ACTOR_STATUSES,
} from '@lagesbild/shared';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { SharingField } from '../components/SharingField';
import { TextField } from '../components/TextField';
import { clearDraft, loadDraft, saveDraft } from '../domain/drafts';
import { newId } from '../domain/ids';
import {
  emptyReportDraft,
  REPORT_TEXT_FIELDS,
  ReportDraft,
  reportDraftKey,
  validateReportDraft,
  type ReportProblems,
} from '../domain/report-draft';
import { usePicture } from '../stores/picture';
import { FeatureEditor } from './FeatureEditor';
import { submit } from './submit';

/**
 * The situation report, with DOMAIN.md's parts. The draft is saved as the user types, so a
 * reload or a crash loses nothing; sending goes through the outbox.
 */
export function ReportForm({ session, incident }: { session: SessionInfo; incident: Incident }) {
  const { t } = useTranslation();
  const key = reportDraftKey(session.user.id, incident.id);
  // The report a new one supersedes is the actor's newest the person could see when they
  // began writing: one in the picture the hub confirmed, never one still queued, which the
  // hub may refuse (the next would then be refused as stale or name an unknown report).
  const newestSeen = () => latestReportOf(usePicture.getState().state.reports, incident.id, session.actorId);
  const [draft, setDraft] = useState<ReportDraft>(
    () => loadDraft(key, ReportDraft) ?? emptyReportDraft(newId(), newestSeen()),
  );
  // After a report is sent, the next draft waits for its first change to see what is newest.
  const nextNotBegun = useRef(false);
  const [problems, setProblems] = useState<ReportProblems>({});
  const [sentItem, setSentItem] = useState<string | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const statusName = useId();

  const update = (change: Partial<ReportDraft>) => {
    const begins = nextNotBegun.current;
    nextNotBegun.current = false;
    const supersedes = begins ? { supersedes: newestSeen()?.id ?? null } : {};
    setDraft((current) => {
      const next = { ...current, ...change, ...supersedes };
      saveDraft(key, next);
      return next;
    });
  };
  const problemText = (field: keyof ReportProblems) => {
    const p = problems[field];
    return p ? t(`reportForm.errors.${p}`, { max: LIMITS.maxTextLength }) : null;
  };

  const handleSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validateReportDraft(draft, incident.id);
    if (!result.ok) {
      setProblems(result.problems);
      summaryRef.current?.focus();
      return;
    }
    setProblems({});
    const itemId = await submit(session, 'report.submit', result.payload);
    setSentItem(itemId);
    clearDraft(key);
    // The next report starts from this one's status and places, which are what the person
    // reported last, whether or not the hub has confirmed it yet.
    nextNotBegun.current = true;
    setDraft({
      ...emptyReportDraft(newId(), undefined),
      status: draft.status,
      features: draft.features,
      supersedes: newestSeen()?.id ?? null,
    });
  };

  const problemList = Object.entries(problems);

  return (
    <section aria-labelledby="report-form-heading" className="section">
      <h3 id="report-form-heading">{t('reportForm.title')}</h3>
      <p className="warning" role="note" data-testid="classification-warning">
        <strong>{t('reportForm.securityTitle')}</strong> {t('reportForm.securityWarning')}
      </p>
      <p className="hint">{t('reportForm.draftSaved')}</p>
      <div ref={summaryRef} tabIndex={-1} className={problemList.length > 0 ? 'form__error' : undefined}>
        {problemList.length > 0 && (
          <>
            <p>{t('reportForm.fix')}</p>
            <ul>
              {problemList.map(([field]) => (
                <li key={field}>{problemText(field as keyof ReportProblems)}</li>
              ))}
            </ul>
          </>
        )}
      </div>
      <form className="form" onSubmit={(e) => void handleSubmit(e)} noValidate data-testid="report-form">
        {REPORT_TEXT_FIELDS.map((field) => (
          <TextField
            key={field}
            name={field}
            label={t(`reportForm.${field}`)}
            hint={t(`reportForm.hints.${field}`)}
            value={draft[field]}
            onChange={(value) => update({ [field]: value })}
            maxLength={LIMITS.maxTextLength}
            multiline
            error={problemText(field)}
          />
        ))}
        <fieldset className="choice-group">
          <legend>{t('reportForm.status')}</legend>
          {ACTOR_STATUSES.map((status: ActorStatus) => (
            <label key={status} className={`choice choice--status-${status}`}>
              <input
                type="radio"
                name={statusName}
                value={status}
                checked={draft.status === status}
                onChange={() => update({ status })}
              />{' '}
              {t(`actorStatus.${status}`)}
            </label>
          ))}
        </fieldset>
        <SharingField
          region={session.region}
          ownActorId={session.actorId}
          scope={draft.sharingScope}
          actorIds={draft.sharingActorIds}
          onChange={(sharingScope, sharingActorIds) => update({ sharingScope, sharingActorIds })}
          error={problemText('sharing')}
        />
        <FeatureEditor
          session={session}
          features={draft.features}
          onChange={(features) => update({ features })}
          error={problemText('features')}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            {t('reportForm.submit')}
          </button>
          <button
            type="button"
            className="button button--plain"
            onClick={() => {
              clearDraft(key);
              setProblems({});
              const newest = latestReportOf(
                usePicture.getState().state.reports,
                incident.id,
                session.actorId,
              );
              setDraft({ ...emptyReportDraft(newId(), undefined), supersedes: newest?.id ?? null });
            }}
          >
            {t('reportForm.clear')}
          </button>
        </div>
        <CommandStatus itemId={sentItem} />
      </form>
    </section>
  );
}
