import type { Conference, Incident, SessionInfo } from '@lagesbild/shared';
import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ChunkErrorBoundary } from '../components/ChunkErrorBoundary';
import { lazyChunk } from '../components/lazy-chunk';
import type { ConferencePanelStart } from './ConferencePanel';

// The conference room and the conference forms load on first use: the incident tab when it
// is opened, the overview's room when the user enters or shows a conference, the forms when
// they are opened. The overview's list of conferences is drawn without them.

const ConferenceTabChunk = lazyChunk(() => import('./ConferenceTab').then((m) => m.ConferenceTab));
const ConferencePanelChunk = lazyChunk(() => import('./ConferencePanel').then((m) => m.ConferencePanel));
const ScheduleFormChunk = lazyChunk(() => import('./ScheduleForm').then((m) => m.ScheduleForm));
const RescheduleFormChunk = lazyChunk(() => import('./RescheduleForm').then((m) => m.RescheduleForm));

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

/** The incident's "Coordination conference" tab. */
export function LazyConferenceTab(props: { session: SessionInfo; incident: Incident }) {
  return (
    <Loaded>
      <ConferenceTabChunk {...props} />
    </Loaded>
  );
}

/** The overview's conference room, once the user enters or shows a conference. */
export function LazyConferencePanel(props: {
  session: SessionInfo;
  incident: Incident | null;
  enterRunning: boolean;
  start: ConferencePanelStart;
  onLeave: () => void;
}) {
  return (
    <Loaded>
      <ConferencePanelChunk {...props} />
    </Loaded>
  );
}

/** The form to call a conference, once its disclosure is opened. */
export function LazyScheduleForm(props: { session: SessionInfo; incident: Incident | null }) {
  return (
    <Loaded>
      <ScheduleFormChunk {...props} />
    </Loaded>
  );
}

/** The chair's form to move a scheduled conference or change its dial-in. */
export function LazyRescheduleForm(props: {
  session: SessionInfo;
  conference: Conference;
  dialIn: string;
  onDone: () => void;
}) {
  return (
    <Loaded>
      <RescheduleFormChunk {...props} />
    </Loaded>
  );
}
