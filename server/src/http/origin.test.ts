import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from './origin.js';

const allowed = new Set(['https://lagesbild.example.se']);

describe('isOriginAllowed', () => {
  it.each([
    ['an allowlisted origin', 'https://lagesbild.example.se', 'hub1:8080', true],
    ['the page the hub served itself, by another name', 'http://127.0.0.1:8080', '127.0.0.1:8080', true],
    ['a non-browser client without Origin', undefined, '127.0.0.1:8080', true],
    ['a foreign page', 'https://evil.example', '127.0.0.1:8080', false],
    ['a foreign page on another port of the same host', 'http://127.0.0.1:9999', '127.0.0.1:8080', false],
    ['an origin that is not a URL', 'null', '127.0.0.1:8080', false],
    ['a foreign page when Host is missing', 'https://evil.example', undefined, false],
  ])('%s → %s', (_name, origin, host, expected) => {
    expect(isOriginAllowed(origin, host, allowed)).toBe(expected);
  });
});
