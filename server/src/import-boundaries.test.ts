import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import-boundary rule of eslint.config.js, tried on probe files placed in each room:
 * an import that runs up the floors, or production code reaching for a test kit, fails
 * `npm run lint`; an import that runs down passes.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('the server rooms import only downwards', () => {
  it.each([
    ['server/src/log/probe.ts', "import { HubState } from '../hub/hub-state.js';"],
    ['server/src/log/journal/probe.ts', "import { rooms } from '../../socket/rooms.js';"],
    ['server/src/base/probe.ts', "import { createJournalLog } from '../log/journal/journal-log.js';"],
    ['server/src/hub/probe.ts', "import { createApp } from '../http/app.js';"],
    ['server/src/directory/probe.ts', "import { rooms } from '../socket/rooms.js';"],
    ['server/src/http/probe.ts', "import { startHub } from '../start-hub.js';"],
    ['server/src/socket/probe.ts', "import { main } from '../main.js';"],
  ])('refuses %s importing upwards', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport {};\n`)).toEqual([
      expect.stringContaining('runs up the floors'),
    ]);
  });

  it.each([
    ['server/src/log/probe.ts', "import { x } from './testing/test-events.js';"],
    ['server/src/hub/probe.ts', "import { x } from '@lagesbild/shared/test-factories';"],
    ['server/src/start-probe.ts', "import { x } from './log/testing/event-log-contract.js';"],
  ])('refuses production file %s importing a test kit', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport {};\n`)).toEqual([
      expect.stringContaining('test kit'),
    ]);
  });

  it.each([
    ['server/src/socket/probe.ts', "import { HubState } from '../hub/hub-state.js';"],
    ['server/src/hub/probe.ts', "import { createJournalLog } from '../log/journal/journal-log.js';"],
    ['server/src/log/redis/probe.ts', "import { logger } from '../../base/logger.js';"],
    ['server/src/probe.ts', "import { createApp } from './http/app.js';"],
    ['server/src/log/probe.test.ts', "import { x } from './testing/test-events.js';"],
  ])('lets %s import downwards or a test import its kit', async (file, code) => {
    expect(await restrictedImports(file, `${code}\nexport {};\n`)).toEqual([]);
  });
});
