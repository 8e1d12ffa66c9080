import type { Conference, SessionInfo } from '@lagesbild/shared';
import { createElement, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { ChunkErrorBoundary } from '../../components/ChunkErrorBoundary';
import { lazyChunk } from '../../components/lazy-chunk';

// The minutes (with their print stylesheet and Markdown rendering) load when a closed
// conference is first looked at: most visits to the dashboard never need them.

const MinutesPanelChunk = lazyChunk(() => import('./MinutesPanel').then((m) => m.MinutesPanel));

function Loading() {
  const { t } = useTranslation();
  return createElement('p', { className: 'loading', 'aria-busy': true }, t('app.loading'));
}

/** `MinutesPanel`, loaded on first use. */
export function LazyMinutesPanel(props: { session: SessionInfo; conference: Conference }) {
  return createElement(
    ChunkErrorBoundary,
    null,
    createElement(Suspense, { fallback: createElement(Loading) }, createElement(MinutesPanelChunk, props)),
  );
}
