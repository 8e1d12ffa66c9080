import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { Suspense } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { setUpUiTests } from '../test/ui';
import { ChunkErrorBoundary } from './ChunkErrorBoundary';
import { lazyChunk } from './lazy-chunk';

setUpUiTests();

function Part({ name }: { name: string }) {
  return <p>Delen {name}</p>;
}

describe('ChunkErrorBoundary', () => {
  it('says a part could not be loaded, keeps the rest of the page, and loads it on "Försök igen"', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const user = userEvent.setup({ delay: null });
    // The first fetch of the chunk fails (the connection dropped); the second succeeds.
    const load = vi
      .fn<() => Promise<typeof Part>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValue(Part);
    const Chunk = lazyChunk(load);
    render(
      <main>
        <h1>Översikt</h1>
        <ChunkErrorBoundary>
          <Suspense fallback={<p>Laddar…</p>}>
            <Chunk name="konferens" />
          </Suspense>
        </ChunkErrorBoundary>
      </main>,
    );
    const failed = await screen.findByTestId('chunk-error');
    expect(failed.getAttribute('role')).toBe('alert');
    expect(failed.textContent).toContain('Den här delen kunde inte laddas.');
    screen.getByRole('heading', { name: 'Översikt' });

    await user.click(screen.getByRole('button', { name: 'Försök igen' }));
    expect(await screen.findByText('Delen konferens')).toBeTruthy();
    expect(screen.queryByTestId('chunk-error')).toBeNull();
    expect(load).toHaveBeenCalledTimes(2);
    vi.restoreAllMocks();
  });
});
