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
 * RFC 4180 CSV with a header row. A cell that a spreadsheet would run as a formula is
 * prefixed with a quote: a username is attacker-chosen text.
 */
export function toCsv(records: readonly AuditRecord[]): string {
  const rows = [AUDIT_COLUMNS.join(',')];
  for (const record of records) rows.push(AUDIT_COLUMNS.map((c) => csvCell(record[c])).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
