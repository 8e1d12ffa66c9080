import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Client tests written as `.ts` that still need a DOM (window, document, localStorage,
 * history). Every other `.ts` client test runs in plain Node, which starts far faster than
 * jsdom; a new one that touches the DOM fails there at once with "window is not defined"
 * and belongs in this list.
 */
const CLIENT_DOM_TS_TESTS = [
  'client/src/debug-hook.test.ts',
  'client/src/i18n/i18n.test.ts',
  'client/src/i18n/wording.test.ts',
  'client/src/phone/offline-session.test.ts',
  'client/src/realtime/realtime.test.ts',
  'client/src/wall/wall-flow.test.ts',
];

/** The fault battery: real hubs killed, Redis killed, a flaky network (`npm run test:fault`). */
const FAULT_TESTS = 'test/fault/**/*.test.ts';

/**
 * Three layers (README, "Tests"): `npm run test:unit` runs shared, server, client and
 * client-node; `npm run test:system` the system project; `npm run test:fault` the fault
 * project; `npm test` all of them in one run.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['shared/src/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'server',
          include: ['server/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'client',
          include: ['client/src/**/*.test.tsx', ...CLIENT_DOM_TS_TESTS],
          environment: 'jsdom',
        },
      },
      {
        test: {
          name: 'client-node',
          include: ['client/src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...CLIENT_DOM_TS_TESTS],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'system',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, FAULT_TESTS],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Over real sockets and processes a condition can take seconds on a loaded
          // machine: `expect.poll` waits generously instead of its 1 s default.
          expect: { poll: { timeout: 15_000 } },
          // System tests start real hubs, Redis and Chromium: run the files one by one so
          // they do not fight over the machine's two cores.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'fault',
          include: [FAULT_TESTS],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          expect: { poll: { timeout: 15_000 } },
          fileParallelism: false,
          // After the system files, never beside them: both start hubs, Redis and Chromium,
          // and the battery's figures mean little on a machine busy with other processes.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
