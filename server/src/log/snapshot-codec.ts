import { crc32 } from 'node:zlib';
import { DirectoryState, fillLogPlaces, setEntry, State, withCheckinDefaults } from '@lagesbild/shared';

/**
 * Snapshot format 2, shared by the embedded journal (the snapshot file) and Redis (the
 * snapshot hash's `state` field). It is text, one JSON value per line:
 *
 *     {"version":2, …header fields…}                       the header
 *     ["state.logEntries",{key:value,…}]                   up to CHUNK_ITEMS entries of one map
 *     ["directory.accounts",{key:value,…}]
 *     ["commands",[commandId,…],[seq,…],[t,…]]              extra tables, by column (the journal's command ids)
 *     {"end":2,"lines":<lines before this one>,"crc32":"<8 hex digits>"}     the trailer
 *
 * Every top-level field of the state and of the directory is a map (item id → item, or
 * field → value for `readiness`) and is written as one or more lines of its entries, so
 * neither side ever holds the whole state as one string: writing serialises one chunk at
 * a time and yields in between, reading parses one line at a time.
 *
 * The snapshot is our own file (or key), written from a state folded from validated
 * events, so reading checks its integrity with the CRC-32 of every byte before the
 * trailer instead of validating each item again: a snapshot that fails the checksum or
 * the structural checks below is refused, and the caller replays the log instead.
 */
export const SNAPSHOT_VERSION = 2;

/** Entries per line: small enough that serialising one line blocks for a few ms. */
const CHUNK_ITEMS = 1000;
const NEWLINE = 0x0a;

/**
 * State maps added since format 2 was first written: snapshots of older hubs lack their
 * lines, and the map reads as empty (no field reports were filed before field reports, no
 * conference was held before conferences).
 */
const STATE_MAPS_ADDED_SINCE = new Set([
  'state.fieldReports',
  'state.conferences',
  'state.conferenceDialIns',
  'state.actionItems',
  'state.offers',
  'state.needSettlements',
  'state.directives',
  'state.directiveTemplates',
  'state.jointMessages',
]);

/**
 * Fills in what snapshots of older hubs lack, as the schemas' defaults do for format 1:
 * incidents read as version 0 (an update made on them names 0 until they change),
 * check-ins logged before sharing existed are the actor's own (`withCheckinDefaults`), and
 * items folded before they kept their place in the log come before all logged since
 * (`fillLogPlaces`).
 */
function upgradeOldState(state: State): void {
  for (const [id, incident] of Object.entries(state.incidents)) {
    // Read as stored: older snapshots lack the field the type promises.
    if ((incident as Partial<typeof incident>).version === undefined)
      state.incidents[id] = { ...incident, version: 0 };
  }
  for (const [id, checkin] of Object.entries(state.checkins)) {
    const upgraded = withCheckinDefaults(checkin);
    if (upgraded !== checkin) state.checkins[id] = upgraded;
  }
  fillLogPlaces(state);
}

/**
 * The state of a format-1 snapshot, validated whole: today's schema, with the maps added
 * since read as empty when an older hub wrote the snapshot without them.
 */
export const SnapshotV1State = State.extend({
  fieldReports: State.shape.fieldReports.default({}),
  conferences: State.shape.conferences.default({}),
  conferenceDialIns: State.shape.conferenceDialIns.default({}),
  actionItems: State.shape.actionItems.default({}),
  offers: State.shape.offers.default({}),
  needSettlements: State.shape.needSettlements.default({}),
  directives: State.shape.directives.default({}),
  directiveTemplates: State.shape.directiveTemplates.default({}),
  jointMessages: State.shape.jointMessages.default({}),
});

/** Raised when a stored snapshot cannot be trusted; the caller replays instead. */
export class SnapshotDataError extends Error {
  override readonly name = 'SnapshotDataError';
}

/** One map as it was when the snapshot was taken: its keys and values, in order. */
type CapturedMap = { name: string; keys: string[]; values: unknown[] };

/** The maps of a snapshot, captured synchronously so that later folds cannot leak into it. */
export type CapturedSnapshot = { maps: CapturedMap[] };

/**
 * A table serialised in chunks after the maps, column by column (fewer, larger arrays to
 * parse than one array per row). Its rows are produced lazily while the snapshot is
 * written, so they must tolerate what changes meanwhile (the journal's command ids: the
 * ones appended meanwhile are past the snapshot's seq and filtered out).
 */
export type SnapshotTable = { name: string; columns: number; rows: () => Iterable<readonly unknown[]> };

/**
 * Takes the consistent part of a snapshot now: the key and value arrays of every map of
 * the state and the directory. The folds replace items rather than change them (see
 * `detachedCopy` in the shared package), so holding the items is holding them as they are
 * now. This is the only part of a snapshot write that runs in one piece.
 */
export function captureSnapshot(state: State, directory: DirectoryState): CapturedSnapshot {
  const maps: CapturedMap[] = [];
  for (const [prefix, root] of [
    ['state', state],
    ['directory', directory],
  ] as const) {
    for (const [field, value] of Object.entries(root)) {
      const map = value as Record<string, unknown>;
      // Keys, then a lookup each: about half the time of Object.values on a large map.
      const keys = Object.keys(map);
      const values = new Array<unknown>(keys.length);
      for (let i = 0; i < keys.length; i++) values[i] = map[keys[i] as string];
      maps.push({ name: `${prefix}.${field}`, keys, values });
    }
  }
  return { maps };
}

/**
 * The lines of a captured snapshot as UTF-8 buffers, newline included, trailer last. Each
 * step serialises one chunk; the caller awaits between steps (a write, or a yield) so the
 * event loop is never held for the whole state.
 */
export function* encodeSnapshot(
  header: Record<string, unknown>,
  captured: CapturedSnapshot,
  tables: readonly SnapshotTable[] = [],
): Generator<Buffer> {
  let crc = 0;
  let lines = 0;
  const line = (value: unknown): Buffer => {
    const bytes = Buffer.from(`${asciiJson(value)}\n`, 'latin1');
    crc = crc32(bytes, crc);
    lines++;
    return bytes;
  };
  yield line({ version: SNAPSHOT_VERSION, ...header });
  for (const map of captured.maps) {
    // At least one line per map, so an empty map is still present when read back.
    let start = 0;
    do {
      const end = Math.min(start + CHUNK_ITEMS, map.keys.length);
      const chunk: Record<string, unknown> = {};
      for (let i = start; i < end; i++) setEntry(chunk, map.keys[i] ?? '', map.values[i]);
      yield line([map.name, chunk]);
      start = end;
    } while (start < map.keys.length);
  }
  for (const table of tables) {
    const empty = (): unknown[][] => Array.from({ length: table.columns }, () => []);
    let chunk = empty();
    let rows = 0;
    for (const row of table.rows()) {
      for (let c = 0; c < table.columns; c++) chunk[c]?.push(row[c]);
      if (++rows >= CHUNK_ITEMS) {
        yield line([table.name, ...chunk]);
        chunk = empty();
        rows = 0;
      }
    }
    if (rows > 0) yield line([table.name, ...chunk]);
  }
  const trailer = { end: SNAPSHOT_VERSION, lines, crc32: hex(crc) };
  yield Buffer.from(`${JSON.stringify(trailer)}\n`, 'utf8');
}

/** Whether stored snapshot text starts like format 2 (older snapshots are one JSON object). */
export function isSnapshotV2(start: Buffer): boolean {
  return start.subarray(0, 13).toString('latin1') === `{"version":${SNAPSHOT_VERSION},`;
}

/** A format-2 snapshot read back: the header, the state, the directory, and the tables by column. */
export type DecodedSnapshot = {
  header: Record<string, unknown>;
  state: State;
  directory: DirectoryState;
  tables: Map<string, unknown[][]>;
};

/**
 * Reads a format-2 snapshot line by line (each line without its newline). Throws
 * SnapshotDataError unless the checksum holds and the structure is what `encodeSnapshot`
 * writes: a header, map lines for exactly the fields of the state and the directory, table
 * lines, and a trailer counting the lines.
 */
export class SnapshotDecoder {
  #crc = 0;
  #lines = 0;
  #header: Record<string, unknown> | null = null;
  #trailer: { lines: number; crc32: string } | null = null;
  readonly #state = emptyRoot(State.shape);
  readonly #directory = emptyRoot(DirectoryState.shape);
  readonly #seen = new Set<string>();
  readonly #tables = new Map<string, unknown[][]>();

  /** Feeds one line (without its newline). */
  push(bytes: Buffer): void {
    if (this.#trailer) throw new SnapshotDataError('lines follow the trailer');
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new SnapshotDataError(`line ${this.#lines + 1} is not JSON`);
    }
    if (this.#header === null) {
      if (!isRecord(value) || value.version !== SNAPSHOT_VERSION) {
        throw new SnapshotDataError(`the header is not a version ${SNAPSHOT_VERSION} header`);
      }
      this.#header = value;
    } else if (isRecord(value)) {
      if (
        value.end !== SNAPSHOT_VERSION ||
        typeof value.lines !== 'number' ||
        typeof value.crc32 !== 'string'
      ) {
        throw new SnapshotDataError(`line ${this.#lines + 1} is neither a chunk nor the trailer`);
      }
      this.#trailer = { lines: value.lines, crc32: value.crc32 };
      return;
    } else {
      this.#chunk(value);
    }
    this.#crc = crc32(bytes, this.#crc);
    this.#crc = crc32(NEWLINE_BYTE, this.#crc);
    this.#lines++;
  }

  /** Checks the trailer and the structure, and returns the snapshot. */
  finish(): DecodedSnapshot {
    const header = this.#header;
    const trailer = this.#trailer;
    if (!header || !trailer) throw new SnapshotDataError('the snapshot ends before its trailer');
    if (trailer.lines !== this.#lines || trailer.crc32 !== hex(this.#crc)) {
      throw new SnapshotDataError(
        `checksum mismatch: the trailer says ${trailer.lines} lines with CRC-32 ${trailer.crc32}, ` +
          `read ${this.#lines} lines with CRC-32 ${hex(this.#crc)}`,
      );
    }
    const missing = [
      ...Object.keys(this.#state).map((field) => `state.${field}`),
      ...Object.keys(this.#directory).map((field) => `directory.${field}`),
    ].filter((name) => !this.#seen.has(name) && !STATE_MAPS_ADDED_SINCE.has(name));
    if (missing.length > 0) throw new SnapshotDataError(`fields missing: ${missing.join(', ')}`);
    const state = this.#state as unknown as State;
    const directory = this.#directory as unknown as DirectoryState;
    // The small, fixed-shape parts get the full schema; the large maps have the checksum.
    const readiness = State.shape.readiness.safeParse(state.readiness);
    if (!readiness.success) throw new SnapshotDataError(`readiness is invalid: ${readiness.error.message}`);
    // Parsed, not only checked: readiness written before its government decision gets the defaults.
    state.readiness = readiness.data;
    upgradeOldState(state);
    return { header, state, directory, tables: this.#tables };
  }

  #chunk(value: unknown): void {
    if (!Array.isArray(value) || typeof value[0] !== 'string') {
      throw new SnapshotDataError(`line ${this.#lines + 1} is not a chunk`);
    }
    const name = value[0];
    const dot = name.indexOf('.');
    const prefix = name.slice(0, dot);
    const field = name.slice(dot + 1);
    const root = prefix === 'state' ? this.#state : prefix === 'directory' ? this.#directory : null;
    if (root === null || dot < 0) {
      const columns = value.slice(1);
      const rows = Array.isArray(columns[0]) ? columns[0].length : -1;
      if (columns.length === 0 || !columns.every((c) => Array.isArray(c) && c.length === rows)) {
        throw new SnapshotDataError(`line ${this.#lines + 1} is not a table chunk`);
      }
      const table = this.#tables.get(name);
      if (!table) this.#tables.set(name, columns as unknown[][]);
      else if (table.length !== columns.length) {
        throw new SnapshotDataError(`line ${this.#lines + 1} has another number of columns`);
      } else {
        for (let c = 0; c < columns.length; c++) {
          const into = table[c] as unknown[];
          for (const cell of columns[c] as unknown[]) into.push(cell);
        }
      }
      return;
    }
    const target = Object.hasOwn(root, field) ? root[field] : undefined;
    const chunk: unknown = value[1];
    if (!target || value.length !== 2 || !isRecord(chunk)) {
      throw new SnapshotDataError(`line ${this.#lines + 1} is not a chunk of a known map (${name})`);
    }
    this.#seen.add(name);
    // Copied key by key: JSON.parse made the keys of `chunk` cheap to insert elsewhere.
    for (const key of Object.keys(chunk)) setEntry(target, key, chunk[key]);
  }
}

/** Any UTF-16 code unit outside ASCII (a character beyond U+FFFF is two, escaped apart). */
const NON_ASCII = /[\u0080-\uffff]/g;

/**
 * JSON with every non-ASCII character escaped (`\u00e4`), so each line is ASCII: reading
 * it back then yields one-byte strings, which JSON.parse reads a fifth faster than the
 * two-byte strings a line with one `ä` in it decodes to. The reader does not depend on it.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    NON_ASCII,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const NEWLINE_BYTE = Buffer.from([NEWLINE]);

/** The fields of a schema's shape, each an empty map to fill: every field of a root is a map. */
function emptyRoot(shape: object): Record<string, Record<string, unknown>> {
  const root: Record<string, Record<string, unknown>> = {};
  for (const field of Object.keys(shape)) root[field] = {};
  return root;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}

/** Splits a buffer holding a whole format-2 snapshot into lines and decodes them. */
export function decodeSnapshotBuffer(buffer: Buffer): DecodedSnapshot {
  const decoder = new SnapshotDecoder();
  let start = 0;
  while (start < buffer.length) {
    const end = buffer.indexOf(NEWLINE, start);
    if (end === -1) throw new SnapshotDataError('the last line has no end');
    decoder.push(buffer.subarray(start, end));
    start = end + 1;
  }
  return decoder.finish();
}
