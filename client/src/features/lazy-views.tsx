import { Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { ChunkErrorBoundary } from '../components/ChunkErrorBoundary';
import { lazyChunk } from '../components/lazy-chunk';

// The overview is what every page load shows; an incident's views, the dialogs and the
// outbox list load on first use, which keeps the first load small on a slow mobile link.

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" aria-busy="true">
      {t('app.loading')}
    </p>
  );
}

function withSuspense<P extends object>(Component: ComponentType<P>) {
  return function Lazy(props: P) {
    return (
      <ChunkErrorBoundary>
        <Suspense fallback={<Loading />}>
          <Component {...props} />
        </Suspense>
      </ChunkErrorBoundary>
    );
  };
}

const IncidentViewChunk = lazyChunk(() => import('./IncidentView').then((m) => m.IncidentView));
const ActivationDialogChunk = lazyChunk(() => import('./ActivationDialog').then((m) => m.ActivationDialog));
const RequestDialogChunk = lazyChunk(() => import('./RequestDialog').then((m) => m.RequestDialog));
const CloseDialogChunk = lazyChunk(() => import('./CloseDialog').then((m) => m.CloseDialog));
const OutboxPanelChunk = lazyChunk(() => import('../components/OutboxPanel').then((m) => m.OutboxPanel));

export const LazyIncidentView = withSuspense(IncidentViewChunk);
export const LazyActivationDialog = withSuspense(ActivationDialogChunk);
export const LazyRequestDialog = withSuspense(RequestDialogChunk);
export const LazyCloseDialog = withSuspense(CloseDialogChunk);
export const LazyOutboxPanel = withSuspense(OutboxPanelChunk);
