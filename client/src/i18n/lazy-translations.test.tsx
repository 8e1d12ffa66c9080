import 'fake-indexeddb/auto';
import { act, cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import i18next from 'i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LazyScheduleForm } from '../conference/lazy';
import { ReadinessControl } from '../readiness/ReadinessControl';
import { buildSessionInfo } from '../test/fixtures';
import { initI18n, missingTranslations, setLanguage } from './i18n';

// No setUpUiTests here: it registers every view's texts up front, which would hide a view
// that forgets to bring its own. In this file only the lazily loaded modules can add them.

const leadDutyOfficer = buildSessionInfo({
  user: { id: 'user-lan', username: 'tib.lansstyrelsen', name: 'Lena Lindqvist' },
  actorId: 'lansstyrelsen',
});

beforeEach(() => {
  localStorage.clear();
  initI18n('sv');
});
afterEach(() => cleanup());

describe('texts of a lazily loaded view', { timeout: 20_000 }, () => {
  it('are not in the first page, and the readiness dialog brings its own: Swedish on first render, then English', async () => {
    expect(i18next.exists('readiness.level')).toBe(false);
    const user = userEvent.setup();
    render(<ReadinessControl session={leadDutyOfficer} />);
    await user.click(screen.getByTestId('open-readiness'));

    expect(await screen.findByText('Beredskapsnivå')).toBeTruthy();
    expect(screen.getByLabelText('Högsta beredskap')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/readiness\./);

    act(() => setLanguage('en'));
    expect(await screen.findByText('Readiness level')).toBeTruthy();
    expect(screen.getByLabelText(/^Highest readiness/)).toBeTruthy();
    expect(missingTranslations()).toEqual([]);
  });

  it("come with the conference's scheduling form, in both languages", async () => {
    expect(i18next.exists('conference.schedule.dialIn')).toBe(false);
    render(<LazyScheduleForm session={leadDutyOfficer} incident={null} />);

    expect(await screen.findByText('Veckoschema')).toBeTruthy();
    expect(screen.getByLabelText(/Möteslänk eller telefonnummer/)).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/conference\./);

    act(() => setLanguage('en'));
    expect(await screen.findByText('Weekly schedule')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/Veckoschema|conference\./);
    expect(missingTranslations()).toEqual([]);
  });
});
