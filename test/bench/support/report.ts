import { allowedCpus, type PinnedProcess } from './processes.js';

/** One table of figures. */
export type Table = { title: string; columns: string[]; rows: (string | number)[][] };

/** What a scenario hands back to run.ts, to print and to write into docs/benchmarks.md. */
export type ScenarioReport = {
  id: string;
  title: string;
  /** What the scenario does and what it was meant to show, a few sentences. */
  description: string;
  tables: Table[];
  /** `name: cpus` of every process it started, read back from the kernel. */
  placement: string[];
  notes: string[];
  /** Rows for the summary of issue "The hub": [figure, goal, measured]. */
  hubFigures?: [string, string, string][];
  /** The goals issue "Measure it" sets for this scenario, and whether this run met them. */
  goals?: GoalRow[];
};

/** One goal of issue "Measure it" against what a run measured. */
export type GoalRow = { figure: string; goal: string; measured: string; met: boolean };

/** The goal rows as a table; `source` names the run they come from. */
export function goalsTable(goals: readonly GoalRow[], source?: string): Table {
  return {
    title: 'For issue "Measure it"',
    columns: ['figure', 'goal', 'measured', 'met', ...(source ? ['source'] : [])],
    rows: goals.map((g) => [g.figure, g.goal, g.measured, g.met ? 'yes' : 'NO', ...(source ? [source] : [])]),
  };
}

/** Records which process ran on which core, as the kernel reports it. */
export class Placement {
  readonly #lines = new Map<string, string>();

  add(...processes: readonly PinnedProcess[]): void {
    for (const p of processes) {
      const role = p.name.replace(/-\d+$/, '');
      if (!this.#lines.has(role)) this.#lines.set(role, `${role}: cpu ${allowedCpus(p.pid)}`);
    }
  }

  /** A process this module did not spawn (Redis, the orchestrator). */
  addPid(name: string, pid: number): void {
    if (!this.#lines.has(name)) this.#lines.set(name, `${name}: cpu ${allowedCpus(pid)}`);
  }

  lines(): string[] {
    return [...this.#lines.values()];
  }
}

/** A number for a table: ms with at most one decimal, big counts with thin grouping. */
export function fmt(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return '∞';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Math.round(value * 10 ** digits) / 10 ** digits);
}

/** `a / b` as "×2.3" (how many times slower a is than b). */
export function ratio(a: number, b: number): string {
  if (!(b > 0) || !Number.isFinite(a)) return '—';
  return `×${fmt(a / b, a / b >= 10 ? 0 : 2)}`;
}

export function markdownTable(table: Table): string {
  const escape = (cell: string | number) => String(cell).replace(/\|/g, '\\|');
  return [
    `| ${table.columns.map(escape).join(' | ')} |`,
    `| ${table.columns.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

/** A table for the terminal: columns padded to their widest cell. */
export function textTable(table: Table): string {
  const cells = [table.columns, ...table.rows.map((row) => row.map(String))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((row) => String(row[i] ?? '').length)));
  const line = (row: readonly (string | number)[]) =>
    row
      .map((cell, i) => String(cell).padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    table.title,
    line(table.columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...table.rows.map(line),
  ].join('\n');
}

/** The markdown of one scenario's section in docs/benchmarks.md. */
export function scenarioMarkdown(
  report: ScenarioReport,
  run: { date: string; command: string; seconds: number; load: readonly [number, number] },
): string {
  return [
    `## ${report.title}`,
    '',
    report.description,
    '',
    `Measured ${run.date} with \`${run.command}\` (${Math.round(run.seconds)} s). Load average of the machine ` +
      `(1 min) ${fmt(run.load[0], 1)} at the start and ${fmt(run.load[1], 1)} at the end: with 2 cores, anything above ` +
      '2 means other work competed for them.',
    '',
    ...report.tables.flatMap((table) => [`**${table.title}**`, '', markdownTable(table), '']),
    `Cores: ${report.placement.join('; ')}.`,
    '',
    ...(report.notes.length > 0 ? [...report.notes.map((note) => `- ${note}`), ''] : []),
  ].join('\n');
}
