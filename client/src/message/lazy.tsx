import type { Incident, SessionInfo } from '@lagesbild/shared';
import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ChunkErrorBoundary } from '../components/ChunkErrorBoundary';
import { lazyChunk } from '../components/lazy-chunk';

// The message tab (editing, sign-off, publication, versions) and the communicator's own view
// load when first shown, so neither enters the first load.

const MessageTabChunk = lazyChunk(() => import('./MessageTab').then((m) => m.MessageTab));
const CommunicatorViewChunk = lazyChunk(() => import('./CommunicatorView').then((m) => m.CommunicatorView));

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" aria-busy="true">
      {t('app.loading')}
    </p>
  );
}

function Loaded({ children }: { children: ReactNode }) {
  return (
    <ChunkErrorBoundary>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </ChunkErrorBoundary>
  );
}

/** The incident's "Budskap" tab; the conference's joint message step shows it too. */
export function LazyMessageTab(props: { session: SessionInfo; incident: Incident }) {
  return (
    <Loaded>
      <MessageTabChunk {...props} />
    </Loaded>
  );
}

/** The communicator's own view of every joint message, on the overview. */
export function LazyCommunicatorView(props: { session: SessionInfo }) {
  return (
    <Loaded>
      <CommunicatorViewChunk {...props} />
    </Loaded>
  );
}
