import { buildIncident } from '@lagesbild/shared/test-factories';
import { fireEvent, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { useOutbox } from '../stores/outbox';
import { buildSessionInfo } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { NextConferenceForm } from './NextConferenceForm';

vi.mock('../realtime', () => ({
  sendCommand: vi.fn(async () => ({
    ok: false,
    error: { code: 'offline', message: 'offline', fromHub: false },
  })),
}));

setUpUiTests();

describe('NextConferenceForm', () => {
  it('sends the new time as made on the incident version shown, so a later change makes it stale', async () => {
    const user = userEvent.setup();
    const incident = buildIncident({ version: 7 });
    render(<NextConferenceForm session={buildSessionInfo()} incident={incident} />);
    fireEvent.change(screen.getByLabelText(/samverkanskonferens/i), {
      target: { value: '2024-05-01T14:00' },
    });
    await user.click(screen.getByRole('button', { name: 'Spara' }));
    await vi.waitFor(() => expect(Object.values(useOutbox.getState().items)).toHaveLength(1));
    expect(Object.values(useOutbox.getState().items)[0]?.command).toMatchObject({
      type: 'incident.update',
      payload: { incidentId: incident.id, baseVersion: 7 },
    });
  });
});
