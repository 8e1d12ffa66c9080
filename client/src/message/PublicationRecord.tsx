import {
  hasPublished,
  LIMITS,
  PUBLICATION_CHANNELS,
  publicationKey,
  type Incident,
  type JointMessage,
  type MessageVersion,
  type PublicationChannel,
  type SessionInfo,
} from '@lagesbild/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { TextField } from '../components/TextField';
import { Time } from '../components/Time';
import { actorLabel } from '../domain/actors';
import { fromLocalInput, toLocalInput } from '../domain/format';
import { can } from '../domain/rights';
import { submit } from '../features/submit';
import { useNow } from '../hooks/use-now';
import { useOnSent, useSend } from '../hooks/use-send';
import { DateTimeField } from './DateTimeField';
import { actorTakesPart } from './message-labels';

/** How far a publication time may be from what the server accepts: its clock may differ a little. */
const LEEWAY_MS = 5 * 60_000;

type WhenProblem = 'required' | 'badTime' | 'inFuture' | 'beforeAgreed';

/**
 * The user's own actor records where and when it published the agreed version. The time is
 * "now" until the user changes it, and again after each record: a time left from when the
 * page was opened would be hours off, and the server refuses one before the agreement.
 */
function PublishForm({
  session,
  message,
  agreed,
}: {
  session: SessionInfo;
  message: JointMessage;
  agreed: MessageVersion;
}) {
  const { t } = useTranslation();
  const legendId = useId();
  const [channels, setChannels] = useState<PublicationChannel[]>([]);
  // null: now, whatever the clock says when it is sent.
  const [when, setWhen] = useState<string | null>(null);
  const nowMs = useNow(30_000);
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<{ channels?: boolean; when?: WhenProblem }>({});
  const sending = useSend();
  useOnSent(sending.itemId, () => {
    setChannels([]);
    setNote('');
    setWhen(null);
  });
  const actor = actorLabel(session.region, session.actorId);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const now = Date.now();
    const publishedAt = when === null ? new Date(now).toISOString() : fromLocalInput(when);
    const whenProblem = (): WhenProblem | undefined => {
      if (publishedAt === null) return when === '' ? 'required' : 'badTime';
      const at = Date.parse(publishedAt);
      if (at > now + LEEWAY_MS) return 'inFuture';
      if (agreed.agreedAt !== null && at < Date.parse(agreed.agreedAt) - LEEWAY_MS) return 'beforeAgreed';
      return undefined;
    };
    const next = { channels: channels.length === 0 ? true : undefined, when: whenProblem() };
    setProblems(next);
    if (next.when) return;
    if (next.channels || publishedAt === null) return;
    const chosen = [...channels];
    // One record per channel; the button stays disabled until the last is on its way.
    void sending.send(async () => {
      let last = '';
      for (const channel of chosen) {
        last = await submit(session, 'jointMessage.publish', {
          messageId: message.id,
          version: agreed.version,
          channel,
          publishedAt,
          note: note.trim(),
        });
      }
      return last;
    });
  };

  return (
    <form
      className="form message-publish"
      onSubmit={handleSubmit}
      noValidate
      data-testid="message-publish-form"
    >
      <fieldset
        aria-invalid={problems.channels ? true : undefined}
        aria-describedby={problems.channels ? `${legendId}-error` : undefined}
      >
        <legend id={legendId}>{t('message.publish.own', { actor, version: agreed.version })}</legend>
        {PUBLICATION_CHANNELS.map((channel) => (
          <label key={channel} className="message-editor__check">
            <input
              type="checkbox"
              checked={channels.includes(channel)}
              onChange={(e) =>
                setChannels((chosen) =>
                  e.target.checked ? [...chosen, channel] : chosen.filter((c) => c !== channel),
                )
              }
              data-testid={`publication-${channel}`}
            />{' '}
            {t(`message.publish.channel.${channel}`)}
          </label>
        ))}
        {problems.channels && (
          <p className="field-error" id={`${legendId}-error`}>
            {t('message.publish.chooseChannel')}
          </p>
        )}
      </fieldset>
      <DateTimeField
        label={t('message.publish.when')}
        value={when ?? toLocalInput(new Date(nowMs).toISOString())}
        onChange={setWhen}
        error={
          problems.when ? t(`message.publish.problem.${problems.when}`, { version: agreed.version }) : null
        }
        testId="message-published-at"
      />
      <TextField
        label={t('message.publish.note')}
        value={note}
        onChange={setNote}
        maxLength={LIMITS.maxShortTextLength}
      />
      <div className="form__actions">
        <button
          type="submit"
          className="button button--primary"
          disabled={sending.pending}
          data-testid="message-publish"
        >
          {t('message.publish.record')}
        </button>
        <CommandStatus itemId={sending.itemId} />
      </div>
    </form>
  );
}

/**
 * Where and when each actor published the latest agreed version, and who has not yet; the
 * user's own actor records its publication here. Nothing is offered before agreement: a
 * message nobody has agreed is not for the public.
 */
export function PublicationRecord({
  session,
  incident,
  message,
  agreed,
}: {
  session: SessionInfo;
  incident: Incident;
  message: JointMessage;
  agreed: MessageVersion | undefined;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const rows = useMemo(() => {
    if (!agreed) return [];
    const publishers = Object.values(message.publications)
      .filter((p) => p.version === agreed.version)
      .map((p) => p.actorId);
    return [...new Set([...agreed.approverActorIds, ...publishers])];
  }, [agreed, message.publications]);

  if (!agreed) {
    return (
      <section className="message-publication" aria-labelledby={headingId} data-testid="message-publication">
        <h4 id={headingId}>{t('message.publish.title')}</h4>
        <p className="hint" data-testid="publication-not-yet">
          {t('message.publish.notYet')}
        </p>
      </section>
    );
  }
  const mayPublish =
    message.cancelled === null &&
    can(session, 'jointMessage.publish') &&
    actorTakesPart(incident, session.region, session.actorId);
  const published = rows.filter((actorId) => hasPublished(message, actorId, agreed.version)).length;
  const publicationOf = (actorId: string, channel: PublicationChannel) => {
    const key = publicationKey(actorId, channel);
    const publication = Object.hasOwn(message.publications, key) ? message.publications[key] : undefined;
    return publication?.version === agreed.version ? publication : undefined;
  };

  return (
    <section className="message-publication" aria-labelledby={headingId} data-testid="message-publication">
      <h4 id={headingId}>{t('message.publish.title')}</h4>
      <p className="summary-line" data-testid="publication-summary">
        {t('message.publish.summary', { published, total: rows.length, version: agreed.version })}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={headingId}>
        <table className="table message-matrix" data-testid="publication-matrix">
          <caption className="visually-hidden">
            {t('message.publish.caption', { version: agreed.version })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('message.publish.actor')}</th>
              {PUBLICATION_CHANNELS.map((channel) => (
                <th key={channel} scope="col">
                  {t(`message.publish.channel.${channel}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((actorId) => {
              const any = hasPublished(message, actorId, agreed.version);
              return (
                <tr
                  key={actorId}
                  data-testid={`published-${actorId}`}
                  data-published={any}
                  className={any ? undefined : 'row--missing'}
                >
                  <th scope="row">
                    {actorLabel(session.region, actorId)}
                    {!any && <span className="missing"> – {t('message.publish.notPublished')}</span>}
                  </th>
                  {PUBLICATION_CHANNELS.map((channel) => {
                    const publication = publicationOf(actorId, channel);
                    return (
                      <td key={channel}>
                        {publication ? (
                          <>
                            {t('message.publish.published')} <Time iso={publication.publishedAt} />
                            {publication.note && <span className="prewrap"> ({publication.note})</span>}
                          </>
                        ) : (
                          <>
                            <span aria-hidden="true">–</span>
                            <span className="visually-hidden">{t('message.publish.notPublished')}</span>
                          </>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {mayPublish && (
        // A form of its own per agreed version: nothing chosen for the old one carries over.
        <PublishForm key={agreed.version} session={session} message={message} agreed={agreed} />
      )}
    </section>
  );
}
