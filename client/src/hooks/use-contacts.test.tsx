import type { ContactsResponse } from '@lagesbild/shared';
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useConnection } from '../stores/connection';
import { useSession } from '../stores/session';
import { buildSessionInfo, jsonResponse } from '../test/fixtures';
import { setUpUiTests } from '../test/ui';
import { CONTACTS_STALE_MS, useContacts } from './use-contacts';

setUpUiTests();

const viewer = { kind: 'actor', actorId: 'nacka' } as const;

/** The requester of one pending request, reachable on the given number. */
const answerWith = (phone: string): ContactsResponse => ({
  incidents: {},
  requests: {
    'request-1': {
      accountId: 'a-1',
      name: 'Per Persson',
      actorId: 'nacka',
      functionId: 'dutyOfficer',
      phone,
    },
  },
});

const shownPhone = (contacts: ContactsResponse | null) => contacts?.requests['request-1']?.phone;

describe('useContacts', () => {
  const fetchMock = vi.fn<typeof fetch>();
  let userNumber = 0;
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    // A new person per test: the hook remembers what it last asked, across mounts.
    userNumber++;
    const session = buildSessionInfo();
    useSession.getState().setSignedIn({ ...session, user: { ...session.user, id: `u-${userNumber}` } });
    useConnection.getState().setHello({ hubId: 'hub-a', viewer, headSeq: 1 });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('asks again after a minute, so a new number after a hand-over shows without a reload', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    fetchMock.mockImplementation(async () =>
      jsonResponse(200, { ok: true, data: answerWith('+46701111111') }),
    );
    const { result } = renderHook(() => useContacts());
    await vi.waitFor(() => expect(shownPhone(result.current)).toBe('+46701111111'));

    fetchMock.mockImplementation(async () =>
      jsonResponse(200, { ok: true, data: answerWith('+46702222222') }),
    );
    await act(async () => {
      await vi.advanceTimersByTimeAsync(CONTACTS_STALE_MS + 10_000);
    });
    await vi.waitFor(() => expect(shownPhone(result.current)).toBe('+46702222222'));
  });

  it('does not ask again before the answer is a minute old', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    fetchMock.mockImplementation(async () =>
      jsonResponse(200, { ok: true, data: answerWith('+46701111111') }),
    );
    renderHook(() => useContacts());
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(CONTACTS_STALE_MS - 1_000);
    });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('keeps the newer answer when an older one arrives late', async () => {
    let answerOld: (response: Response) => void = () => {};
    fetchMock.mockImplementationOnce(() => new Promise<Response>((resolve) => (answerOld = resolve)));
    fetchMock.mockImplementationOnce(async () =>
      jsonResponse(200, { ok: true, data: answerWith('+46702222222') }),
    );
    const { result } = renderHook(() => useContacts());
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));

    // A reconnection asks again; its answer comes first.
    act(() => useConnection.getState().setHello({ hubId: 'hub-a', viewer, headSeq: 2 }));
    await vi.waitFor(() => expect(shownPhone(result.current)).toBe('+46702222222'));

    const late = jsonResponse(200, { ok: true, data: answerWith('+46701111111') });
    await act(async () => {
      answerOld(late);
      await vi.waitFor(() => expect(late.bodyUsed).toBe(true));
      // Once read, the late answer is handled before the next task runs.
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(shownPhone(result.current)).toBe('+46702222222');
  });
});
