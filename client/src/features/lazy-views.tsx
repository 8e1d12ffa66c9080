import { lazy, Suspense, type ComponentProps, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';

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
      <Suspense fallback={<Loading />}>
        <Component {...props} />
      </Suspense>
    );
  };
}

const IncidentViewChunk = lazy(() => import('./IncidentView').then((m) => ({ default: m.IncidentView })));
const ActivationDialogChunk = lazy(() =>
  import('./ActivationDialog').then((m) => ({ default: m.ActivationDialog })),
);
const RequestDialogChunk = lazy(() => import('./RequestDialog').then((m) => ({ default: m.RequestDialog })));
const CloseDialogChunk = lazy(() => import('./CloseDialog').then((m) => ({ default: m.CloseDialog })));
const OutboxPanelChunk = lazy(() =>
  import('../components/OutboxPanel').then((m) => ({ default: m.OutboxPanel })),
);

export const LazyIncidentView = withSuspense<ComponentProps<typeof IncidentViewChunk>>(IncidentViewChunk);
export const LazyActivationDialog =
  withSuspense<ComponentProps<typeof ActivationDialogChunk>>(ActivationDialogChunk);
export const LazyRequestDialog = withSuspense<ComponentProps<typeof RequestDialogChunk>>(RequestDialogChunk);
export const LazyCloseDialog = withSuspense<ComponentProps<typeof CloseDialogChunk>>(CloseDialogChunk);
export const LazyOutboxPanel = withSuspense<ComponentProps<typeof OutboxPanelChunk>>(OutboxPanelChunk);
