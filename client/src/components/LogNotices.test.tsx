import { PROTOCOL_VERSION, initialState } from '@lagesbild/shared';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleHello, handleHubStatus, handleSnapshot } from '../realtime/handlers';
import { useConnection } from '../stores/connection';
import { useLogNotices } from '../stores/log-notices';
import { usePicture } from '../stores/picture';
import { setUpUiTests } from '../test/ui';
import { LogNotices } from './LogNotices';

setUpUiTests();

const hello = (epoch: string) => ({
  protocolVersion: PROTOCOL_VERSION,
  hubId: 'hub-a',
  epoch,
  headSeq: 0,
  viewer: { kind: 'actor', actorId: 'nacka' },
});

describe('LogNotices', () => {
  beforeEach(() => useLogNotices.setState({ lost: null, reset: false }));

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

  it('says that the hub lost its log, with its reason, until a hub greets the client again', () => {
    render(<LogNotices />);
    act(
      () =>
        void handleHubStatus({
          canStore: false,
          picture: { state: 'lost', reason: 'Redis no longer holds the log this hub opened' },
        }),
    );
    expect(screen.getByRole('alert').textContent).toContain(
      'Servern har tappat kontakten med loggen: Redis no longer holds the log this hub opened',
    );
    expect(useConnection.getState().canStore).toBe(false);
    act(() => void handleHello(hello('new-log')));
    expect(screen.queryByTestId('log-lost')).toBeNull();
  });
});
