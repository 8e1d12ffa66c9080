import { LIMITS, type Incident, type Recurrence, type SessionInfo } from '@lagesbild/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { byName } from '../domain/actors';
import { fromLocalInput } from '../domain/format';
import { newId } from '../domain/ids';
import { submit } from '../features/submit';
import { useOnSent, useSend } from '../hooks/use-send';
import { WEEKDAY_KEYS } from './conference-list';
import { registerTranslations } from '../i18n/register';
import { conferenceEn } from './i18n-en';
import { conferenceSv } from './i18n-sv';

// This view's texts load with it; the first page carries none of them.
registerTranslations(conferenceSv, conferenceEn);

/** What the form holds; the times as the inputs give them. */
export type ScheduleDraft = {
  time: string;
  title: string;
  convener: string;
  dialIn: string;
  recurs: boolean;
  weekday: number;
  recurrenceTime: string;
};

type ScheduleProblems = Partial<Record<'time' | 'title' | 'recurrenceTime', 'required' | 'badTime'>>;

/** The checked draft: the command's payload, or what is wrong. */
export function validateScheduleDraft(
  draft: ScheduleDraft,
  incidentId: string | null,
):
  | { ok: true; scheduledAt: string; title: string; recurrence: Recurrence | null }
  | { ok: false; problems: ScheduleProblems } {
  const problems: ScheduleProblems = {};
  const scheduledAt = fromLocalInput(draft.time);
  if (draft.time === '') problems.time = 'required';
  else if (scheduledAt === null) problems.time = 'badTime';
  if (draft.title.trim() === '') problems.title = 'required';
  // Only ordinary-mode conferences recur: an incident's next one is set at each conference.
  const recurs = incidentId === null && draft.recurs;
  if (recurs && !/^([01]\d|2[0-3]):[0-5]\d$/.test(draft.recurrenceTime)) problems.recurrenceTime = 'badTime';
  if (scheduledAt === null || Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    scheduledAt,
    title: draft.title.trim(),
    recurrence: recurs ? { weekday: draft.weekday, time: draft.recurrenceTime } : null,
  };
}

/**
 * Calls a coordination conference: for an incident (its summoned actors are called) or, with
 * no incident, for the whole region in ordinary mode, optionally every week. The convener is
 * the region's lead actor by default; another actor may convene only its own conference.
 */
export function ScheduleForm({ session, incident }: { session: SessionInfo; incident: Incident | null }) {
  const { t } = useTranslation();
  const ids = {
    time: useId(),
    convener: useId(),
    dialIn: useId(),
    weekday: useId(),
    at: useId(),
    hint: useId(),
  };
  const region = session.region;
  const lead = session.actorId === region.leadActorId;
  const conveners = useMemo(
    () => (lead ? [...region.actors].sort(byName) : region.actors.filter((a) => a.id === session.actorId)),
    [lead, region.actors, session.actorId],
  );
  // The new conference's id is made once per draft: a second click, or a resend after a
  // refusal, names the same conference and can never call it twice.
  const fresh = (): ScheduleDraft & { conferenceId: string } => ({
    conferenceId: newId(),
    time: '',
    title: t('conference.defaultTitle'),
    convener: lead ? region.leadActorId : session.actorId,
    dialIn: '',
    recurs: false,
    weekday: 2,
    recurrenceTime: '09:00',
  });
  const [draft, setDraft] = useState(fresh);
  const [problems, setProblems] = useState<ScheduleProblems>({});
  const sending = useSend();
  // Emptied once the hub has it; until then a refusal is read beside what was written.
  useOnSent(sending.itemId, () => setDraft(fresh()));
  const update = (change: Partial<ScheduleDraft>) => setDraft((d) => ({ ...d, ...change }));
  const incidentId = incident?.id ?? null;

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const checked = validateScheduleDraft(draft, incidentId);
    if (!checked.ok) return setProblems(checked.problems);
    setProblems({});
    void sending.send(() =>
      submit(session, 'conference.schedule', {
        conferenceId: draft.conferenceId,
        incidentId,
        title: checked.title,
        scheduledAt: checked.scheduledAt,
        convenerActorId: draft.convener,
        summonedActorIds: [],
        dialIn: draft.dialIn.trim(),
        recurrence: checked.recurrence,
      }),
    );
  };
  const error = (field: keyof ScheduleProblems) => {
    const problem = problems[field];
    return problem ? t(`conference.schedule.${problem}`) : null;
  };

  return (
    <form className="form conference-schedule" onSubmit={handleSubmit} noValidate>
      <div className="form__field">
        <label htmlFor={ids.time}>
          {t('conference.schedule.time')}
          <span aria-hidden="true"> *</span>
        </label>
        {incidentId === null && (
          <p className="hint" id={ids.hint}>
            {t('conference.schedule.timeHint')}
          </p>
        )}
        <input
          id={ids.time}
          type="datetime-local"
          value={draft.time}
          required
          aria-invalid={problems.time ? true : undefined}
          aria-describedby={incidentId === null ? ids.hint : undefined}
          onChange={(e) => update({ time: e.target.value })}
        />
        {problems.time && <p className="field-error">{error('time')}</p>}
      </div>
      <TextField
        label={t('conference.schedule.titleField')}
        value={draft.title}
        onChange={(title) => update({ title })}
        maxLength={LIMITS.maxShortTextLength}
        required
        error={error('title')}
      />
      <div className="form__field">
        <label htmlFor={ids.convener}>{t('conference.schedule.convener')}</label>
        <select
          id={ids.convener}
          value={draft.convener}
          onChange={(e) => update({ convener: e.target.value })}
        >
          {conveners.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <TextField
        label={t('conference.schedule.dialIn')}
        hint={t('conference.schedule.dialInHint')}
        value={draft.dialIn}
        onChange={(dialIn) => update({ dialIn })}
        maxLength={LIMITS.maxDialInLength}
        multiline
        rows={2}
      />
      {incidentId === null && (
        <fieldset className="choice-group">
          <legend>{t('conference.schedule.recurrenceLegend')}</legend>
          <label className="choice">
            <input
              type="checkbox"
              checked={draft.recurs}
              onChange={(e) => update({ recurs: e.target.checked })}
            />{' '}
            {t('conference.schedule.recurs')}
          </label>
          {draft.recurs && (
            <div className="form__inline">
              <label htmlFor={ids.weekday}>{t('conference.schedule.weekday')}</label>
              <select
                id={ids.weekday}
                value={draft.weekday}
                onChange={(e) => update({ weekday: Number(e.target.value) })}
              >
                {WEEKDAY_KEYS.map((key, index) => (
                  <option key={key} value={index + 1}>
                    {t(`conference.weekday.${key}`)}
                  </option>
                ))}
              </select>
              <label htmlFor={ids.at}>{t('conference.schedule.recurrenceTime')}</label>
              <input
                id={ids.at}
                type="time"
                value={draft.recurrenceTime}
                aria-invalid={problems.recurrenceTime ? true : undefined}
                onChange={(e) => update({ recurrenceTime: e.target.value })}
              />
              {problems.recurrenceTime && <span className="field-error">{error('recurrenceTime')}</span>}
            </div>
          )}
        </fieldset>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={sending.pending}>
          {t('conference.schedule.submit')}
        </button>
      </div>
      <CommandStatus itemId={sending.itemId} />
    </form>
  );
}
