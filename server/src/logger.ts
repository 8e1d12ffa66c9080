import { pino, type Logger } from 'pino';

export type { Logger };

/** One structured line per event. Report text and secrets are never logged at info level. */
export function createLogger(level: string, hubId: string): Logger {
  return pino({
    level,
    base: { hub: hubId },
    redact: { paths: ['password', '*.password', 'cookie', '*.cookie', 'headers.cookie'], remove: true },
  });
}
