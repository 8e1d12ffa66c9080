import type { Conference, Incident, SessionInfo } from '@lagesbild/shared';
import { Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ChunkErrorBoundary } from '../components/ChunkErrorBoundary';
import { lazyChunk } from '../components/lazy-chunk';
import type { ConferencePanelStart } from './ConferencePanel';

// The conference room and the conference forms load on first use: the incident tab when it
// is opened, the overview's room when the user enters or shows a conference, the forms when
// they are opened. The overview's list of conferences is drawn without them; its summaries
// (the assessment, the actor's action items) load right after it draws.

const ConferenceTabChunk = lazyChunk(() => import('./ConferenceTab').then((m) => m.ConferenceTab));
const ConferencePanelChunk = lazyChunk(() => import('./ConferencePanel').then((m) => m.ConferencePanel));
const ScheduleFormChunk = lazyChunk(() => import('./ScheduleForm').then((m) => m.ScheduleForm));
const UpcomingControlsChunk = lazyChunk(() => import('./UpcomingControls').then((m) => m.UpcomingControls));
const AssessmentSummaryChunk = lazyChunk(() =>
  import('./AssessmentSummary').then((m) => m.AssessmentSummary),
);
const OwnActionItemsChunk = lazyChunk(() => import('./OwnActionItems').then((m) => m.OwnActionItems));

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

/** The chair's controls of a scheduled conference (open, move), loaded only for a chair. */
export function LazyUpcomingControls(props: {
  session: SessionInfo;
  conference: Conference;
  dialIn: string;
  mayOpen: boolean;
  mayMove: boolean;
}) {
  return (
    <Loaded>
      <UpcomingControlsChunk {...props} />
    </Loaded>
  );
}

/**
 * A summary the overview shows once its code is in; until then nothing, as when there is
 * nothing to sum up, so the first load carries none of it.
 */
function Summary({ children }: { children: ReactNode }) {
  return (
    <ChunkErrorBoundary>
      <Suspense fallback={null}>{children}</Suspense>
    </ChunkErrorBoundary>
  );
}

/** The overview's common assessment. */
export function LazyAssessmentSummary(props: { incidentId: string | null; headingLevel?: 2 | 3 }) {
  return (
    <Summary>
      <AssessmentSummaryChunk {...props} />
    </Summary>
  );
}

/** The overview's "Våra åtgärdspunkter". */
export function LazyOwnActionItems(props: { session: SessionInfo }) {
  return (
    <Summary>
      <OwnActionItemsChunk {...props} />
    </Summary>
  );
}
