/**
 * The journal's read index: the byte offset and first seq of each retained line, in file
 * order, so that `read` can find an old event's line without scanning the file. Two flat
 * arrays of numbers rather than an object per line: a large history has millions of lines.
 */
export class LineIndex {
  #offsets: number[] = [];
  #firstSeqs: number[] = [];

  get length(): number {
    return this.#offsets.length;
  }

  /** Adds the next line; lines come in file order. */
  add(offset: number, firstSeq: number): void {
    this.#offsets.push(offset);
    this.#firstSeqs.push(firstSeq);
  }

  /** Index of the last retained line whose first seq is at or below `seq`, or -1. */
  lineFor(seq: number): number {
    let lo = 0;
    let hi = this.#firstSeqs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#firstSeqs[mid] ?? Infinity) <= seq) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Where line `line` starts, if it is retained. */
  offsetAt(line: number): number | undefined {
    return this.#offsets[line];
  }

  /** The first seq of line `line`, if it is retained. */
  firstSeqAt(line: number): number | undefined {
    return this.#firstSeqs[line];
  }

  /** Forgets the lines before `line`: history no longer retained. */
  dropBefore(line: number): void {
    if (line <= 0) return;
    this.#offsets.splice(0, line);
    this.#firstSeqs.splice(0, line);
  }
}
