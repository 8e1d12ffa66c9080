import { describe, expect, it } from 'vitest';
import { isOriginAllowed, requestOrigin } from './origin.js';

const allowed = new Set(['https://lagesbild.example.se']);

describe('isOriginAllowed', () => {
  it.each([
    ['an allowlisted origin', 'https://lagesbild.example.se', 'http', 'hub1:8080', true],
    [
      'the page the hub served itself, by another name',
      'http://127.0.0.1:8080',
      'http',
      '127.0.0.1:8080',
      true,
    ],
    [
      'the page the hub served itself over TLS',
      'https://lagesbild.example',
      'https',
      'lagesbild.example',
      true,
    ],
    [
      'the default port written out in Host',
      'https://lagesbild.example',
      'https',
      'lagesbild.example:443',
      true,
    ],
    ['a non-browser client without Origin', undefined, 'http', '127.0.0.1:8080', true],
    ['a foreign page', 'https://evil.example', 'http', '127.0.0.1:8080', false],
    [
      'a foreign page on another port of the same host',
      'http://127.0.0.1:9999',
      'http',
      '127.0.0.1:8080',
      false,
    ],
    [
      'an https page for an http request to the same host',
      'https://127.0.0.1:8080',
      'http',
      '127.0.0.1:8080',
      false,
    ],
    [
      'an http page for an https request to the same host',
      'http://lagesbild.example',
      'https',
      'lagesbild.example',
      false,
    ],
    ['the allowlisted host on plain http', 'http://lagesbild.example.se', 'http', 'hub1:8080', false],
    ['the allowlisted host on another port', 'https://lagesbild.example.se:8443', 'http', 'hub1:8080', false],
    ['an origin that is not a URL', 'null', 'http', '127.0.0.1:8080', false],
    ['a foreign page when Host is missing', 'https://evil.example', 'http', undefined, false],
    ['a Host header with a path in it', 'http://evil.example', 'http', 'evil.example/x', false],
  ])('%s → %s', (_name, origin, protocol, host, expected) => {
    expect(isOriginAllowed(origin, requestOrigin(protocol, host), allowed)).toBe(expected);
  });
});
