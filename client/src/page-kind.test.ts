import { describe, expect, it } from 'vitest';
import { pageKindOf } from './page-kind';

describe('pageKindOf', () => {
  it.each([
    ['/wall', 'wall'],
    ['/wall/', 'wall'],
    ['/phone', 'phone'],
    ['/phone/checkin', 'phone'],
    ['/', 'app'],
    ['/wallpaper', 'app'],
    ['/phones', 'app'],
  ] as const)('%s is the %s', (path, kind) => {
    expect(pageKindOf(path)).toBe(kind);
  });
});
