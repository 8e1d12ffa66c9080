import { ADMIN_FUNCTION, type SessionInfo } from '@lagesbild/shared';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from '../components/Modal';

const TemplatesAdmin = lazy(() => import('./TemplatesAdmin').then((m) => ({ default: m.TemplatesAdmin })));

/**
 * "Förberedda inriktningar" for administrators: a button that opens the prepared directives
 * in a wide dialog, loaded on first use. Nothing for anyone else.
 */
export function TemplatesAdminControl({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!session.functionIds.includes(ADMIN_FUNCTION)) return null;
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        data-testid="open-templates-admin"
        onClick={() => setOpen(true)}
      >
        {t('templatesAdmin.title')}
      </button>
      {open && (
        <Modal title={t('templatesAdmin.title')} onClose={() => setOpen(false)} wide testId="templates-admin">
          <Suspense fallback={<p aria-busy="true">{t('app.loading')}</p>}>
            <TemplatesAdmin session={session} />
          </Suspense>
        </Modal>
      )}
    </>
  );
}
