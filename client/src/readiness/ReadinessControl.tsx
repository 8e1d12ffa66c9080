import type { SessionInfo } from '@lagesbild/shared';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../domain/rights';
import { usePicture } from '../stores/picture';

const ReadinessDialog = lazy(() => import('./ReadinessDialog').then((m) => ({ default: m.ReadinessDialog })));

/**
 * The button that opens the readiness dialog, for those the region file lets set readiness
 * (Länsstyrelsen's duty officer); nothing for anyone else. The dialog loads on first use.
 */
export function ReadinessControl({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const inForce = usePicture((s) => s.state.readiness.heightened);
  if (!can(session, 'readiness.set')) return null;
  return (
    <>
      <button
        type="button"
        className="button button--secondary-light"
        data-testid="open-readiness"
        onClick={() => setOpen(true)}
      >
        {inForce ? t('readiness.openInForce') : t('readiness.open')}
      </button>
      {open && (
        <Suspense fallback={null}>
          <ReadinessDialog session={session} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
