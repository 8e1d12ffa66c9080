import { createElement, lazy, type ComponentType, type ReactNode } from 'react';

// React remembers a lazy component's failed import for good, so "try again" needs a fresh
// lazy component: each chunk made here can be made anew once its import has failed.

const retries = new Set<() => void>();

/**
 * A component whose code loads on first use, like `React.lazy`, that can load again after
 * a failed import (a dropped connection, a deploy that replaced the chunk) when
 * `retryFailedChunks` is called. Render it inside a `ChunkErrorBoundary` and a `Suspense`.
 */
export function lazyChunk<P extends object>(load: () => Promise<ComponentType<P>>): (props: P) => ReactNode {
  const entry = { failed: false, current: make() };
  function make() {
    return lazy(async () => {
      try {
        return { default: await load() };
      } catch (error) {
        entry.failed = true;
        throw error;
      }
    });
  }
  retries.add(() => {
    if (!entry.failed) return;
    entry.failed = false;
    entry.current = make();
  });
  return function Chunk(props: P) {
    return createElement(entry.current, props);
  };
}

/** Makes every chunk whose import failed load again when next drawn. */
export function retryFailedChunks(): void {
  for (const retry of retries) retry();
}
