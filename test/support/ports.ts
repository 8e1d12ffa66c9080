import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A TCP port on the loopback interface that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Whether a process's output or error says its port was taken (Node, Redis and nginx wording). */
export const addressInUse = (text: string): boolean => /EADDRINUSE|Address already in use/i.test(text);

const BIND_ATTEMPTS = 5;

/**
 * Starts something that listens on a port, and starts it again when the port was taken.
 * `freePort()` only probes: another process (a parallel test, a probe of its own) can bind
 * the port before our child does. Without a `fixedPort` each attempt gets a fresh free
 * port; a fixed port (a restart that must keep its address) is tried again as it is, after
 * a pause, since what holds it is usually a short-lived probe. Any other failure is thrown
 * at once.
 */
export async function listenWithRetry<T>(
  start: (port: number) => Promise<T>,
  fixedPort?: number,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    try {
      return await start(port);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= BIND_ATTEMPTS || !addressInUse(message)) throw error;
      if (fixedPort !== undefined) await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

/** Whether something accepts TCP connections on the loopback port now. */
export const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

/** Stops a child with `signal`, and with SIGKILL if it has not exited within `graceMs`. */
export function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // A process that ignores SIGTERM (e.g. stuck writing) must not hang the test run.
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}
