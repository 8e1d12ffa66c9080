import type { AuditRecord } from '@lagesbild/shared';

/** Columns of the CSV export, in order. */
export const AUDIT_COLUMNS = [
  'at',
  'kind',
  'type',
  'id',
  'outcome',
  'userId',
  'deviceId',
  'actorId',
  'functionId',
  'target',
  'ip',
  'via',
  'hubId',
  'note',
] as const satisfies readonly (keyof AuditRecord)[];

/** One record per line, as stored. */
export const toNdjson = (records: readonly AuditRecord[]): string =>
  records.map((r) => `${JSON.stringify(r)}\n`).join('');

/**
 * RFC 4180 CSV with a header row. A username or a note is attacker-chosen text, so no cell
 * may start like a formula in any spreadsheet that opens the file (`defuseFormulas`).
 */
export function toCsv(records: readonly AuditRecord[]): string {
  const rows = [AUDIT_COLUMNS.join(',')];
  for (const record of records) rows.push(AUDIT_COLUMNS.map((c) => csvCell(record[c])).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/** Characters that make a spreadsheet read a cell as a formula (or strip and then read it). */
const FORMULA_CHARACTERS = '=+-@\t\r';

/**
 * Where a spreadsheet may start a cell inside our text: besides the start, after any `,`
 * `;` tab or line break, because Swedish Excel splits on `;` and then our quoting is not
 * where it looks for it. Spaces and quote marks before a formula character do not help.
 */
const CELL_BREAKS = ',;\t\r\n';

/** Puts a `'` (which makes a spreadsheet read text) before every formula character at a cell start. */
export function defuseFormulas(value: string): string {
  let defused = '';
  let atCellStart = true;
  for (const char of value) {
    if (atCellStart && FORMULA_CHARACTERS.includes(char)) defused += "'";
    defused += char;
    if (CELL_BREAKS.includes(char)) atCellStart = true;
    else if (char !== ' ' && char !== '"') atCellStart = false;
  }
  return defused;
}

function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = defuseFormulas(value);
  // Quoted on `;` too, so that a `;` spreadsheet keeps the cell whole.
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
