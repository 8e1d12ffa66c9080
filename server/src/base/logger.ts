import { pino, type Logger } from 'pino';

export type { Logger };

/** One structured line per event. Report text and secrets are never logged at info level. */
export function createLogger(level: string, hubId: string): Logger {
  return pino({
    level,
    base: { hub: hubId },
    redact: {
      // Defence in depth: no code logs these, but an error object or request may carry them.
      paths: [
        'password',
        '*.password',
        'passwordHash',
        '*.passwordHash',
        'token',
        '*.token',
        'csrfToken',
        '*.csrfToken',
        'secret',
        '*.secret',
        'cookie',
        '*.cookie',
        'headers.cookie',
        '*.headers.cookie',
        'headers.authorization',
        '*.headers.authorization',
        // body-parser errors keep the raw request body, which may be a report.
        'err.body',
      ],
      remove: true,
    },
  });
}
