import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '@lagesbild/shared';
import { deferred } from '../deferred.js';
import { LogUnavailableError } from '../event-log.js';
import type { LogSink } from '../log-sink.js';
import { GroupCommit, durable, type QueuedLine } from './group-commit.js';

/** An error as the kernel gives it for a full disk. */
function noSpace(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/**
 * A journal file on a disk of `space` bytes: a write takes what fits and the next one
 * fails, as a real full disk does, so a failed batch leaves a torn line behind.
 */
function smallDisk(space: number) {
  const disk = {
    space,
    bytes: Buffer.alloc(0),
    /** Bytes known to be whole lines: what `written` was told of. */
    durableSize: 0,
    repairs: 0,
    writer: {
      write: async (buffer: Buffer, offset: number, length: number) => {
        const fits = Math.min(length, disk.space - disk.bytes.length);
        if (fits <= 0) throw noSpace();
        disk.bytes = Buffer.concat([disk.bytes, buffer.subarray(offset, offset + fits)]);
        return { bytesWritten: fits };
      },
      datasync: async () => undefined,
    },
  };
  return disk;
}

function line(text: string, seq: number): QueuedLine {
  const event = { seq, commandId: `c${seq}` } as StoredEvent;
  return { line: Buffer.from(`${text}\n`), events: [event], done: deferred<null>() };
}

const logs = () => {
  const lines: string[] = [];
  const sink: LogSink = {
    info: (_obj, msg) => lines.push(`info ${msg}`),
    warn: (_obj, msg) => lines.push(`warn ${msg}`),
    error: (_obj, msg) => lines.push(`error ${msg}`),
  };
  return { lines, sink };
};

function commitOn(disk: ReturnType<typeof smallDisk>) {
  const discarded: number[] = [];
  let resumed = 0;
  const { lines, sink } = logs();
  const commit = new GroupCommit({
    file: 'events.jsonl',
    writer: () => disk.writer,
    written: (entry) => {
      disk.durableSize += entry.line.length;
    },
    discarded: (entry) => discarded.push(entry.events[0]?.seq ?? 0),
    flushed: () => undefined,
    repair: async () => {
      disk.repairs++;
      disk.bytes = disk.bytes.subarray(0, disk.durableSize);
      // The probe: 64 bytes must fit besides the journal.
      if (disk.space - disk.bytes.length < 64) throw noSpace();
    },
    resumed: () => void resumed++,
    logger: sink,
  });
  return { commit, discarded, resumed: () => resumed, lines };
}

async function append(commit: GroupCommit, entries: QueuedLine[]): Promise<void> {
  const done = deferred<null>();
  commit.enqueue(
    entries.map((entry) => ({ ...entry, done })),
    done,
  );
  await durable(done);
}

async function waitFor(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('group commit on a disk that fills up', () => {
  it('refuses the failed batch and everything behind it, and nothing of them counts as written', async () => {
    const disk = smallDisk(40);
    const { commit, discarded, lines } = commitOn(disk);
    await append(commit, [line('first line', 1)]);
    const failing = append(commit, [line('a line too long for what is left on the disk', 2)]);
    const behind = append(commit, [line('queued behind it', 3)]);
    await expect(failing).rejects.toBeInstanceOf(LogUnavailableError);
    await expect(behind).rejects.toThrow(/ENOSPC/);
    expect(commit.failed?.message).toMatch(/ENOSPC/);
    expect(discarded).toEqual([2, 3]);
    // Part of the failed line reached the disk: a torn tail the repair must cut.
    expect(disk.bytes.length).toBeGreaterThan(disk.durableSize);
    expect(lines).toContain('error journal.writeFailed: refusing appends until a probe write succeeds');
    await commit.stop();
  });

  it('probes with backoff while the disk stays full, and resumes by itself once space returns', async () => {
    const disk = smallDisk(40);
    const { commit, resumed, lines } = commitOn(disk);
    await append(commit, [line('first line', 1)]);
    await expect(append(commit, [line('a line too long for what is left on the disk', 2)])).rejects.toThrow();
    await waitFor(() => disk.repairs >= 3);
    expect(commit.failed).not.toBeNull();
    expect(resumed()).toBe(0);

    disk.space = 10_000;
    await waitFor(() => commit.failed === null);
    expect(resumed()).toBe(1);
    expect(lines).toContain('info journal.resumed: the disk takes writes again');
    // The torn tail is gone, and the next line follows the last whole one directly.
    await append(commit, [line('after the disk healed', 2)]);
    expect(disk.bytes.toString()).toBe('first line\nafter the disk healed\n');
    await commit.stop();
  });

  it('stops probing when the journal closes', async () => {
    const disk = smallDisk(20);
    const { commit } = commitOn(disk);
    await expect(append(commit, [line('a line too long for this disk', 1)])).rejects.toThrow();
    await waitFor(() => disk.repairs >= 1);
    await commit.stop();
    const repairs = disk.repairs;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(disk.repairs).toBe(repairs);
  });
});
