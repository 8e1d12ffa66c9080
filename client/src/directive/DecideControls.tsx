import {
  directiveDiff,
  DIRECTIVE_FIELDS,
  hasExpired,
  latestVersion,
  type Directive,
  type Incident,
  type SessionInfo,
} from '@lagesbild/shared';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { Time } from '../components/Time';
import { can } from '../domain/rights';
import { submit } from '../features/submit';
import { isPending } from '../outbox/outbox-item';
import { useOutbox } from '../stores/outbox';
import { personLabel } from './directive-labels';

/**
 * What the directing level does: decide the draft ("Besluta"), which makes it the next
 * version, and co-sign the latest version. Deciding is binding, so it takes a second step
 * that names the version and what it changes; the decision names the draft it was read on
 * (`draftSeq`), so a rewrite saved meanwhile is refused, not decided unread. Shown only to
 * those the region's rights let decide, on an active incident; the hub checks again.
 */
export function DecideControls({
  session,
  incident,
  directive,
  now,
}: {
  session: SessionInfo;
  incident: Incident;
  directive: Directive;
  now: string;
}) {
  const { t } = useTranslation();
  const confirmId = useId();
  const [itemId, setItemId] = useState<string | null>(null);
  /** The seq of the draft the person asked to decide: the second step is for that draft only. */
  const [confirming, setConfirming] = useState<number | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const pending = useOutbox((s) => {
    const item = itemId === null ? undefined : s.items[itemId];
    return item !== undefined && isPending(item);
  });
  useEffect(() => {
    if (confirming !== null) confirmRef.current?.focus();
  }, [confirming]);

  const active = incident.status === 'active';
  const versions = directive.versions.length;
  const draft = directive.draft;
  const latest = latestVersion(directive);
  const mayDecide = active && draft !== null && can(session, 'directive.decide');
  const draftOutdated = draft !== null && draft.baseVersion !== versions;
  const cosignable = latest && !hasExpired(latest, now) ? latest : undefined;
  const mayCosign =
    active &&
    cosignable !== undefined &&
    can(session, 'directive.cosign') &&
    !cosignable.deciders.some((by) => by.userId === session.user.id);
  if (!mayDecide && !mayCosign && itemId === null) return null;

  // The draft changed under the open second step: it names another draft than the one shown.
  const changedMeanwhile = confirming !== null && draft !== null && draft.seq !== confirming;
  const fields = draft
    ? latest
      ? directiveDiff(latest.content, draft.content).map((c) => c.field)
      : [...DIRECTIVE_FIELDS]
    : [];

  const decide = async (draftSeq: number) => {
    setConfirming(null);
    setItemId(
      await submit(session, 'directive.decide', {
        directiveId: directive.id,
        baseVersion: versions,
        draftSeq,
      }),
    );
  };
  const cosign = async (version: number) =>
    setItemId(await submit(session, 'directive.cosign', { directiveId: directive.id, version }));

  return (
    <div className="directive-decide" data-testid="decide-controls">
      {mayDecide &&
        (draftOutdated ? (
          <p className="form__error" role="status" data-testid="draft-outdated">
            {t('directive.decide.outdated', { base: draft.baseVersion, latest: versions })}
          </p>
        ) : confirming === null ? (
          <button
            type="button"
            className="button button--primary"
            disabled={pending}
            onClick={() => setConfirming(draft.seq)}
          >
            {t('directive.decide.decide')}{' '}
            <span className="visually-hidden">
              {t('directive.decide.asVersion', { version: versions + 1 })}
            </span>
          </button>
        ) : (
          <section
            className="directive-decide__confirm"
            role="group"
            aria-labelledby={`${confirmId}-title`}
            data-testid="decide-confirm"
          >
            <h5 id={`${confirmId}-title`}>{t('directive.decide.confirmTitle', { version: versions + 1 })}</h5>
            <p>
              {versions === 0
                ? t('directive.decide.confirmFirst')
                : t('directive.decide.confirmChanges', {
                    version: versions + 1,
                    fields: fields.map((f) => t(`directive.field.${f}`)).join(', '),
                  })}{' '}
              {t('directive.decide.confirmStarts')} <Time iso={draft.content.validFrom} />.
            </p>
            {changedMeanwhile && (
              <p className="form__error" role="alert" data-testid="draft-changed-meanwhile">
                {t('directive.decide.draftChangedMeanwhile', { name: personLabel(session.region, draft.by) })}
              </p>
            )}
            <div className="form__inline">
              <button
                ref={confirmRef}
                type="button"
                className="button button--primary"
                // aria-disabled, not disabled: the button keeps the focus while the draft changes under it.
                aria-disabled={pending || changedMeanwhile}
                onClick={() => {
                  if (!pending && !changedMeanwhile) void decide(confirming);
                }}
              >
                {t('directive.decide.confirm', { version: versions + 1 })}
              </button>
              <button type="button" className="button button--plain" onClick={() => setConfirming(null)}>
                {t('app.cancel')}
              </button>
            </div>
          </section>
        ))}
      {mayCosign && (
        <button
          type="button"
          className="button button--secondary"
          disabled={pending}
          onClick={() => void cosign(cosignable.version)}
        >
          {t('directive.decide.cosign', { version: cosignable.version })}
        </button>
      )}
      <CommandStatus itemId={itemId} />
    </div>
  );
}
