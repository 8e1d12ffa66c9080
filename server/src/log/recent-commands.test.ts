import { describe, expect, it } from 'vitest';
import { RecentCommands } from './recent-commands.js';

describe('RecentCommands restored from a snapshot', () => {
  const restored = () => {
    const commands = new RecentCommands(100);
    commands.restore({ ids: ['a', 'b', 'c'], seqs: [1, 2, 3], ts: [10, 20, 30] });
    return commands;
  };

  it('answers for restored commands before they are mapped, and for ones remembered after', () => {
    const commands = restored();
    commands.remember('d', { seq: 4, t: 40, sender: 'u-anna', payloadHash: 'h' });
    expect(commands.get('b', 50)).toEqual({ seq: 2, t: 20, sender: null, payloadHash: null });
    expect(commands.get('d', 50)).toEqual({ seq: 4, t: 40, sender: 'u-anna', payloadHash: 'h' });
    expect(commands.size).toBe(4);
  });

  it('keeps them oldest first: expiry and snapshots see the order they were appended in', () => {
    const commands = restored();
    commands.remember('a', { seq: 5, t: 50, sender: 'u-anna', payloadHash: 'h' });
    expect([...commands.entriesUpTo(60, 10)].map(([id]) => id)).toEqual(['b', 'c', 'a']);
    expect(commands.get('b', 125)).toBeUndefined();
    expect(commands.get('c', 125)).toEqual({ seq: 3, t: 30, sender: null, payloadHash: null });
    expect([...commands.entriesUpTo(125, 10)].map(([id]) => id)).toEqual(['c', 'a']);
  });

  it('maps the backlog in the background after mapLater', async () => {
    const commands = restored();
    commands.remember('d', { seq: 4, t: 40, sender: 'u-anna', payloadHash: 'h' });
    commands.mapLater();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect([...commands.entriesUpTo(50, 3)].map(([id]) => id)).toEqual(['a', 'b', 'c']);
  });
});
