import type { Directive, DirectiveVersion, SessionInfo } from '@lagesbild/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommandStatus } from '../components/CommandStatus';
import { can } from '../domain/rights';
import { submit } from '../features/submit';
import { isPending } from '../outbox/outbox-item';
import { useOutbox } from '../stores/outbox';

/**
 * What the directing level does: decide the draft ("Besluta"), which makes it the next
 * version in force, and co-sign the version in force. Shown only to those the region's
 * rights let decide; the hub checks again, and that the sender is of the directing level.
 */
export function DecideControls({
  session,
  directive,
  inForce,
}: {
  session: SessionInfo;
  directive: Directive;
  inForce: DirectiveVersion | undefined;
}) {
  const { t } = useTranslation();
  const [itemId, setItemId] = useState<string | null>(null);
  const pending = useOutbox((s) => {
    const item = itemId === null ? undefined : s.items[itemId];
    return item !== undefined && isPending(item);
  });
  const versions = directive.versions.length;
  const draft = directive.draft;
  const mayDecide = draft !== null && can(session, 'directive.decide');
  const draftOutdated = draft !== null && draft.baseVersion !== versions;
  const mayCosign =
    inForce !== undefined &&
    can(session, 'directive.cosign') &&
    !inForce.deciders.some((by) => by.userId === session.user.id);
  if (!mayDecide && !mayCosign && itemId === null) return null;

  const decide = async () =>
    setItemId(
      await submit(session, 'directive.decide', { directiveId: directive.id, baseVersion: versions }),
    );
  const cosign = async (version: number) =>
    setItemId(await submit(session, 'directive.cosign', { directiveId: directive.id, version }));

  return (
    <div className="directive-decide" data-testid="decide-controls">
      {mayDecide &&
        (draftOutdated ? (
          <p className="form__error" role="status" data-testid="draft-outdated">
            {t('directive.decide.outdated', { base: draft.baseVersion, latest: versions })}
          </p>
        ) : (
          <button
            type="button"
            className="button button--primary"
            disabled={pending}
            onClick={() => void decide()}
          >
            {t('directive.decide.decide')}{' '}
            <span className="visually-hidden">
              {t('directive.decide.asVersion', { version: versions + 1 })}
            </span>
          </button>
        ))}
      {mayCosign && (
        <button
          type="button"
          className="button button--secondary"
          disabled={pending}
          onClick={() => void cosign(inForce.version)}
        >
          {t('directive.decide.cosign', { version: inForce.version })}
        </button>
      )}
      <CommandStatus itemId={itemId} />
    </div>
  );
}
