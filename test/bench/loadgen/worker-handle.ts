import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { methods, Response, type Method, type Params, type Result } from './protocol.js';
import { spawnPinned, type PinnedProcess } from '../support/processes.js';
import { repoRoot } from '../../support/hub-process.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts');

/** A load-generator process seen from the orchestrator: typed calls over IPC. */
export type GeneratorWorker = {
  process: PinnedProcess;
  call: <M extends Method>(method: M, params: Params<M>) => Promise<Result<M>>;
  stop: () => Promise<void>;
};

/** Starts a generator process on `core` and waits until it answers. */
export async function startWorker(name: string, core: number): Promise<GeneratorWorker> {
  const profileDir = process.env.BENCH_GENERATOR_CPU_PROF_DIR;
  const proc = spawnPinned({
    name,
    core,
    cwd: repoRoot,
    command: [
      process.execPath,
      '--max-old-space-size=4096',
      // Set to profile the generator itself (is it the bottleneck?).
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      '--import',
      'tsx',
      WORKER,
    ],
    ipc: true,
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${proc.output()}`)), 30_000);
    const onExit = () => reject(new Error(`${name} exited before it was ready:\n${proc.output()}`));
    proc.child.once('exit', onExit);
    ready = () => {
      clearTimeout(timer);
      proc.child.off('exit', onExit);
      resolve();
    };
  });
  proc.child.on('message', (message) => {
    const response = Response.safeParse(message);
    if (!response.success) return;
    if (response.data.id === 0) return ready();
    const waiter = pending.get(response.data.id);
    if (!waiter) return;
    pending.delete(response.data.id);
    if (response.data.ok) waiter.resolve(response.data.result);
    else waiter.reject(new Error(`${name}: ${response.data.error}`));
  });
  proc.child.once('exit', (code, signal) => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`${name} exited (${code ?? signal}):\n${proc.output()}`));
    pending.clear();
  });
  try {
    await started;
  } catch (error) {
    await proc.kill('SIGKILL');
    throw error;
  }

  return {
    process: proc,
    call: async (method, params) => {
      const id = nextId++;
      const answer = await new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        proc.child.send({ id, method, params });
      });
      return methods[method].result.parse(answer) as Result<typeof method>;
    },
    stop: async () => {
      proc.child.disconnect();
      await proc.kill('SIGTERM');
    },
  };
}
