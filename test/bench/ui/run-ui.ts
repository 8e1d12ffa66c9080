import { textTable } from '../support/report.js';
import { uiScenario } from './ui-scenario.js';

// Standalone: `npx tsx test/bench/ui/run-ui.ts [--quick]`. The same scenario can be listed
// in test/bench/run.ts as `ui`.
const quick = process.argv.includes('--quick');
const report = await uiScenario.run({
  quick,
  accounts: [] as string[],
  serverCore: 1,
  generatorCore: 0,
  progress: (message) => console.error(message),
});
console.log(`# ${report.title}\n\n${report.description}\n`);
for (const table of report.tables) console.log(`${textTable(table)}\n`);
for (const note of report.notes) console.log(note);
