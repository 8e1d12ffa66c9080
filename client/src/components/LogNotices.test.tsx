import { PROTOCOL_VERSION, initialState } from '@lagesbild/shared';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handleHello, handleHubStatus, handleSnapshot } from '../realtime/handlers';
import { useConnection } from '../stores/connection';
import { useLogNotices } from '../stores/log-notices';
import { usePicture } from '../stores/picture';
import { setUpUiTests } from '../test/ui';
import { LogNotices, WALL_RESET_NOTICE_MS } from './LogNotices';

setUpUiTests();

const hello = (epoch: string) => ({
  protocolVersion: PROTOCOL_VERSION,
  hubId: 'hub-a',
  epoch,
  headSeq: 0,
  viewer: { kind: 'actor', actorId: 'nacka' },
});

describe('LogNotices', () => {
  beforeEach(() => useLogNotices.setState({ lost: null, reset: false, resets: 0 }));

  it('shows nothing while the log is the one the picture came from', () => {
    handleSnapshot({ epoch: 'epoch-1', seq: 4, state: initialState() }, 0);
    handleHello(hello('epoch-1'));
    const { container } = render(<LogNotices />);
    expect(container.childElementCount).toBe(0);
    expect(usePicture.getState().lastSeq).toBe(4);
  });

  it('drops a picture from another log at the hello and says the picture was reset, until dismissed', () => {
    handleSnapshot({ epoch: 'old-log', seq: 40, state: initialState() }, 0);
    render(<LogNotices />);
    act(() => void handleHello(hello('new-log')));
    expect(usePicture.getState()).toMatchObject({ epoch: null, lastSeq: 0 });
    expect(screen.getByTestId('picture-reset').textContent).toContain('Lägesbilden har återställts');
    fireEvent.click(screen.getByRole('button', { name: 'Jag förstår' }));
    expect(screen.queryByTestId('picture-reset')).toBeNull();
  });

  it('says that the hub lost its log, in words of its own, until a hub greets the client again', () => {
    render(<LogNotices />);
    // The hub's fixed reason: the details (files, epochs) stay in the hub's own log.
    act(() => void handleHubStatus({ canStore: false, picture: { state: 'lost', reason: 'log_lost' } }));
    const alert = screen.getByRole('alert').textContent;
    expect(alert).toContain('Servern har tappat loggen som lägesbilden kommer från.');
    expect(alert).not.toContain('log_lost');
    expect(useConnection.getState().canStore).toBe(false);
    act(() => void handleHello(hello('new-log')));
    expect(screen.queryByTestId('log-lost')).toBeNull();
  });

  describe('on a wall display, where nobody can click', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('says the picture was reset without a button, and clears it by itself after a while', () => {
      handleSnapshot({ epoch: 'old-log', seq: 40, state: initialState() }, 0);
      render(<LogNotices unattended />);
      act(() => void handleHello(hello('new-log')));
      const notice = screen.getByTestId('picture-reset');
      expect(notice.textContent).toContain('Lägesbilden har återställts');
      expect(screen.queryByRole('button')).toBeNull();

      act(() => vi.advanceTimersByTime(WALL_RESET_NOTICE_MS - 1_000));
      expect(screen.getByTestId('picture-reset')).toBeTruthy();
      act(() => vi.advanceTimersByTime(1_000));
      expect(screen.queryByTestId('picture-reset')).toBeNull();
    });

    it('counts its time again from a second reset', () => {
      render(<LogNotices unattended />);
      act(() => useLogNotices.getState().showReset());
      act(() => vi.advanceTimersByTime(WALL_RESET_NOTICE_MS / 2));
      act(() => useLogNotices.getState().showReset());
      act(() => vi.advanceTimersByTime(WALL_RESET_NOTICE_MS - 1_000));
      expect(screen.getByTestId('picture-reset')).toBeTruthy();
      act(() => vi.advanceTimersByTime(1_000));
      expect(screen.queryByTestId('picture-reset')).toBeNull();
    });

    it('keeps saying the hub lost its log for as long as it is lost', () => {
      render(<LogNotices unattended />);
      act(() => void handleHubStatus({ canStore: false, picture: { state: 'lost', reason: 'gone' } }));
      act(() => vi.advanceTimersByTime(WALL_RESET_NOTICE_MS * 2));
      expect(screen.getByTestId('log-lost')).toBeTruthy();
    });
  });

  it('keeps the reset notice on a laptop until someone says they have seen it', () => {
    vi.useFakeTimers();
    try {
      render(<LogNotices />);
      act(() => useLogNotices.getState().showReset());
      act(() => vi.advanceTimersByTime(WALL_RESET_NOTICE_MS * 2));
      expect(screen.getByTestId('picture-reset')).toBeTruthy();
      expect(screen.getByRole('button', { name: 'Jag förstår' })).toBeTruthy();
    } finally {
      vi.useRealTimers();
    }
  });
});
