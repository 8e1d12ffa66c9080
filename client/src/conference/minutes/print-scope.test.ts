import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The minutes' print rules load with the minutes and then stay in the page. Unless every one
// of them is scoped to printing the minutes, printing any other page afterwards comes out
// blank: this reads the stylesheet and checks the scope of each rule.

const css = readFileSync(new URL('./minutes.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

/** The text between the braces that open at `start`. */
function block(text: string, start: number): { inner: string; end: number } {
  const open = text.indexOf('{', start);
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    if (text[i] === '}') depth -= 1;
    if (depth === 0) return { inner: text.slice(open + 1, i), end: i + 1 };
  }
  throw new Error('unbalanced braces');
}

/** The selectors of the rules directly inside a block; at-rules such as @page are left out. */
function selectorsIn(inner: string): string[] {
  const selectors: string[] = [];
  let at = 0;
  while (inner.indexOf('{', at) !== -1) {
    const { end } = block(inner, at);
    const prelude = inner.slice(at, inner.indexOf('{', at)).trim().replace(/\s+/g, ' ');
    if (!prelude.startsWith('@')) selectors.push(prelude);
    at = end;
  }
  return selectors;
}

const SCOPES = [':is(body.printing-minutes, body:has(.minutes-document))', 'body:has(.minutes-document)'];

describe('the print rules of the minutes', () => {
  const start = css.indexOf('@media print');
  const rules = selectorsIn(block(css, start).inner);

  it('are all scoped to a page that is printing minutes', () => {
    expect(rules.length).toBeGreaterThan(5);
    const unscoped = rules.filter((selector) => !SCOPES.some((scope) => selector.startsWith(scope)));
    expect(unscoped).toEqual([]);
  });

  it('hide the rest of the page only where the minutes are on it', () => {
    const hidingAll = rules.filter((s) => s.includes(':not(:has(.minutes-document))'));
    expect(hidingAll.length).toBe(1);
    expect(hidingAll[0]?.startsWith('body:has(.minutes-document)')).toBe(true);
  });

  it('are the only print rules of the stylesheet', () => {
    expect(css.indexOf('@media print', start + 1)).toBe(-1);
  });
});
