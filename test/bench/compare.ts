import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from '../support/hub-process.js';
import type { ScenarioReport } from './support/report.js';

const HELP = `npm run bench:compare -- --base=REV [--new=REV] [scenario…] [--rounds=N] [--quick]

Measures the hubs of two commits with this checkout's harness, in one run: the base commit's
hub (from a git worktree of REV) and this checkout's, alternating base/new, new/base, … so
that a machine getting busier or quieter affects both alike. Prints, for every figure of the
scenarios' tables, the median over the rounds of each side and their ratio (new ÷ base).

Only the hubs come from REV: scenarios that run log code inside the bench process itself
(s4's history writing) measure this checkout on both sides.

Options:
  --base=REV    the commit to compare against (required)
  --new=REV     a commit to measure instead of this working tree (which may be mid-edit)
  --rounds=N    runs per side (default 3)
  --quick       the scenarios' smoke version
  --help        this text`;

const Args = z.strictObject({
  base: z.string().regex(/^[\w./~^-]+$/, 'a commit, branch or tag'),
  new: z
    .string()
    .regex(/^[\w./~^-]+$/, 'a commit, branch or tag')
    .nullable(),
  rounds: z.coerce.number().int().min(1).max(20),
  quick: z.boolean(),
  scenarios: z.array(z.string().regex(/^[a-z0-9-]+$/)),
});

function parseArgs(argv: readonly string[]): z.infer<typeof Args> | 'help' {
  const raw = { base: '', new: null as string | null, rounds: '3', quick: false, scenarios: [] as string[] };
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--base' && value) raw.base = value;
    else if (flag === '--new' && value) raw.new = value;
    else if (flag === '--rounds' && value) raw.rounds = value;
    else if (flag === '--quick') raw.quick = true;
    else if (!arg.startsWith('-')) raw.scenarios.push(arg.toLowerCase());
    else throw new Error(`unknown option ${arg}\n\n${HELP}`);
  }
  const parsed = Args.safeParse(raw);
  if (!parsed.success) throw new Error(`${z.prettifyError(parsed.error)}\n\n${HELP}`);
  return parsed.data;
}

/**
 * A worktree of `rev` beside this checkout, sharing its installed packages by hard links
 * (the lock file must be the same for that to be right; we check it and say so).
 */
function worktreeOf(rev: string): { dir: string; commit: string; remove: () => void } {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], {
    cwd: repoRoot,
    encoding: 'utf8',
  }).trim();
  const dir = mkdtempSync(path.join(tmpdir(), `lagesbild-base-${commit.slice(0, 8)}-`));
  execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: repoRoot, stdio: 'ignore' });
  for (const modules of [
    'node_modules',
    'server/node_modules',
    'client/node_modules',
    'shared/node_modules',
  ]) {
    const from = path.join(repoRoot, modules);
    if (existsSync(from)) execFileSync('cp', ['-al', from, path.join(dir, modules)]);
  }
  const lockDiffers =
    spawnSync('git', ['diff', '--quiet', commit, 'HEAD', '--', 'package-lock.json'], { cwd: repoRoot })
      .status !== 0;
  if (lockDiffers) {
    console.log(
      `note: package-lock.json differs between ${rev} and HEAD; the worktree runs on this checkout's packages`,
    );
  }
  return {
    dir,
    commit,
    remove: () => {
      spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: repoRoot });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The protocol version a checkout's hub speaks, read from its source. */
function protocolVersionOf(root: string): number {
  const source = readFileSync(path.join(root, 'shared/src/protocol.ts'), 'utf8');
  const match = /export const PROTOCOL_VERSION = (\d+);/.exec(source);
  if (!match?.[1]) throw new Error(`no PROTOCOL_VERSION in ${root}/shared/src/protocol.ts`);
  return Number(match[1]);
}

/** One run of run.ts for one side, returning its reports. */
function runSide(
  hubRootDir: string,
  scenarios: readonly string[],
  quick: boolean,
  label: string,
): ScenarioReport[] {
  const json = path.join(tmpdir(), `lagesbild-compare-${process.pid}-${label}.json`);
  const args = ['--import', 'tsx', path.join(repoRoot, 'test/bench/run.ts'), ...scenarios, '--no-write'];
  if (quick) args.push('--quick');
  args.push(`--hub-root=${hubRootDir}`, `--json=${json}`);
  console.log(`\n##### ${label}: ${hubRootDir}`);
  const result = spawnSync(process.execPath, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, BENCH_PROTOCOL_VERSION: String(protocolVersionOf(hubRootDir)) },
  });
  if (result.status !== 0)
    console.log(`(${label} exited ${result.status}: its figures are kept where there are any)`);
  if (!existsSync(json)) return [];
  const reports = JSON.parse(readFileSync(json, 'utf8')) as ScenarioReport[];
  rmSync(json, { force: true });
  return reports;
}

/** A table cell as a number, if it is one ("1,600", "7.0", "12 ms"); else null. */
function numberOf(cell: string | number): number | null {
  if (typeof cell === 'number') return cell;
  const match = /^\s*(-?[\d,]*\.?\d+)\s*(ms|s|%|\/s|MB|KB|KiB|MiB)?\s*$/.exec(cell);
  return match?.[1] ? Number(match[1].replace(/,/g, '')) : null;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/** A median as a table shows it: at most one decimal. */
const oneDecimal = (value: number): string => String(Math.round(value * 10) / 10);

type Cell = { table: string; row: string; column: string };
const keyOf = (c: Cell) => `${c.table}\u0000${c.row}\u0000${c.column}`;

/** Every numeric cell of the reports, keyed by table title, row label and column. */
function cells(reports: readonly ScenarioReport[]): Map<string, { cell: Cell; value: number }> {
  const out = new Map<string, { cell: Cell; value: number }>();
  for (const report of reports) {
    for (const table of report.tables) {
      for (const row of table.rows) {
        const label = String(row[0] ?? '');
        row.forEach((value, i) => {
          if (i === 0) return;
          const n = numberOf(value);
          const cell = {
            table: `${report.id}: ${table.title}`,
            row: label,
            column: table.columns[i] ?? String(i),
          };
          if (n !== null) out.set(keyOf(cell), { cell, value: n });
        });
      }
    }
  }
  return out;
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(HELP);
    return 0;
  }
  const base = worktreeOf(args.base);
  const fixedNew = args.new ? worktreeOf(args.new) : null;
  const newRoot = fixedNew?.dir ?? repoRoot;
  const head =
    fixedNew?.commit.slice(0, 8) ??
    execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
  const dirty = !fixedNew && spawnSync('git', ['diff', '--quiet', 'HEAD'], { cwd: repoRoot }).status !== 0;
  const sides = { base: [] as ScenarioReport[][], new: [] as ScenarioReport[][] };
  try {
    for (let round = 0; round < args.rounds; round++) {
      // base,new then new,base: a drifting machine load falls on both sides alike.
      const order: ('base' | 'new')[] = round % 2 === 0 ? ['base', 'new'] : ['new', 'base'];
      for (const side of order) {
        const root = side === 'base' ? base.dir : newRoot;
        sides[side].push(runSide(root, args.scenarios, args.quick, `${side} round ${round + 1}`));
      }
    }
  } finally {
    base.remove();
    fixedNew?.remove();
  }

  const perSide = (side: 'base' | 'new') => {
    const values = new Map<string, { cell: Cell; values: number[] }>();
    for (const reports of sides[side]) {
      for (const [key, { cell, value }] of cells(reports)) {
        const entry = values.get(key) ?? { cell, values: [] };
        entry.values.push(value);
        values.set(key, entry);
      }
    }
    return values;
  };
  const before = perSide('base');
  const after = perSide('new');
  console.log(
    `\n===== Side by side: base ${base.commit.slice(0, 8)} (${args.base}) vs new ${head}${dirty ? ' + uncommitted changes' : ''}, ` +
      `${args.rounds} round(s) each, medians over rounds; ratio = new ÷ base`,
  );
  let table = '';
  for (const [key, { cell, values }] of after) {
    const old = before.get(key);
    if (!old) continue;
    if (cell.table !== table) {
      table = cell.table;
      console.log(`\n${table}`);
      console.log(['row', 'column', 'base', 'new', 'ratio', 'rounds'].join(' | '));
    }
    const b = median(old.values);
    const n = median(values);
    const ratio = b === 0 ? (n === 0 ? '1.00' : '—') : (n / b).toFixed(2);
    console.log(
      [
        cell.row,
        cell.column,
        oneDecimal(b),
        oneDecimal(n),
        `×${ratio}`,
        `${old.values.length}/${values.length}`,
      ].join(' | '),
    );
  }
  return 0;
}

try {
  process.exit(main());
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
