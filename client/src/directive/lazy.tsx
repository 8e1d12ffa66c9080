import { lazy, Suspense, type ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';

// The directive tab (drafting, deciding, follow-up, versions) loads when it is first opened,
// so it never enters the first load.

const DirectiveTabChunk = lazy(() => import('./DirectiveTab').then((m) => ({ default: m.DirectiveTab })));

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" aria-busy="true">
      {t('app.loading')}
    </p>
  );
}

/** The incident's "Inriktning" tab. */
export function LazyDirectiveTab(props: ComponentProps<typeof DirectiveTabChunk>) {
  return (
    <Suspense fallback={<Loading />}>
      <DirectiveTabChunk {...props} />
    </Suspense>
  );
}
