import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { setUpUiTests } from '../test/ui';
import { PairingScreen } from './PairingScreen';
import { pairWall } from './wall-flow';
import { useWall } from './wall-store';

vi.mock('./wall-flow', () => ({ pairWall: vi.fn(async () => ({ ok: true, data: null })) }));

setUpUiTests();

describe('PairingScreen', () => {
  it('pairs with the code as typed', async () => {
    useWall.getState().setUnpaired(null);
    render(<PairingScreen />);
    expect(screen.queryByRole('alert')).toBeNull();
    await userEvent.type(screen.getByLabelText('Kopplingskod'), 'abcd-2345');
    await userEvent.click(screen.getByRole('button', { name: 'Koppla' }));
    expect(pairWall).toHaveBeenCalledWith('abcd-2345');
  });

  it('says why it shows: a refused code, no network, or a revoked display', () => {
    useWall.getState().setUnpaired('codeRefused', { code: 'unauthenticated', message: 'x', fromHub: true });
    const { rerender } = render(<PairingScreen />);
    expect(screen.getByRole('alert').textContent).toContain('Koden godtogs inte');

    useWall.getState().setUnpaired('codeRefused', { code: 'offline', message: 'x', fromHub: false });
    rerender(<PairingScreen />);
    expect(screen.getByRole('alert').textContent).toBe('Ingen anslutning till servern.');

    useWall.getState().setUnpaired('revoked');
    rerender(<PairingScreen />);
    expect(screen.getByRole('alert').textContent).toBe('Skärmen har kopplats bort av en administratör.');
  });
});
