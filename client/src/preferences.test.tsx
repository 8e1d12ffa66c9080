import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertSettings } from './components/AlertSettings';
import { loadPreferences, setSoundEnabled } from './preferences';
import { usePreferences } from './stores/preferences';
import { useSession } from './stores/session';
import { buildSessionInfo } from './test/fixtures';
import { setUpUiTests } from './test/ui';

setUpUiTests();

const dutyOfficer = buildSessionInfo({ functionIds: ['dutyOfficer'] });
const communicator = buildSessionInfo({ functionIds: ['communicator'] });
/** Länsstyrelsen's coordinator: acknowledges nothing, but decides on requests. */
const coordinator = buildSessionInfo({ actorId: 'lansstyrelsen', functionIds: ['coordinator'] });

let stopFollowing = () => {};

describe('activation sound default on the laptop', () => {
  beforeEach(() => {
    usePreferences.setState({ soundEnabled: true, soundChoice: null, soundDefault: true });
  });
  afterEach(() => stopFollowing());

  it('is on for a duty officer, whose function receives activations', () => {
    stopFollowing = loadPreferences('app');
    useSession.getState().setSignedIn(dutyOfficer);
    expect(usePreferences.getState().soundEnabled).toBe(true);
  });

  it("is on for Länsstyrelsen's coordinator, who decides on requests and hears them arrive", () => {
    stopFollowing = loadPreferences('app');
    useSession.getState().setSignedIn(coordinator);
    render(<AlertSettings />);
    expect(screen.getByRole('checkbox', { name: 'Ljud vid ny aktivering' })).toHaveProperty('checked', true);
  });

  it('is off for a communicator, and the settings switch shows it off', () => {
    stopFollowing = loadPreferences('app');
    useSession.getState().setSignedIn(communicator);
    render(<AlertSettings />);
    expect(screen.getByRole('checkbox', { name: 'Ljud vid ny aktivering' })).toHaveProperty('checked', false);
  });

  it("keeps the person's own choice over the default, also after the next sign-in", async () => {
    stopFollowing = loadPreferences('app');
    useSession.getState().setSignedIn(communicator);
    render(<AlertSettings />);
    await userEvent.setup().click(screen.getByRole('checkbox', { name: 'Ljud vid ny aktivering' }));
    expect(usePreferences.getState().soundEnabled).toBe(true);

    stopFollowing();
    usePreferences.setState({ soundEnabled: true, soundChoice: null, soundDefault: true });
    stopFollowing = loadPreferences('app');
    useSession.getState().setSignedIn(communicator);
    expect(usePreferences.getState().soundEnabled).toBe(true);
  });

  it('stays off for a duty officer who turned it off', () => {
    setSoundEnabled(false);
    stopFollowing = loadPreferences('app');
    useSession.getState().setSignedIn(dutyOfficer);
    expect(usePreferences.getState().soundEnabled).toBe(false);
  });

  it('stays on by default on the phone, whatever the function', () => {
    stopFollowing = loadPreferences('phone');
    useSession.getState().setSignedIn(communicator);
    expect(usePreferences.getState().soundEnabled).toBe(true);
  });
});
