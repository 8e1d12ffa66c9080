/**
 * What the log implementations need from a logger. A pino logger fits; tests pass a
 * recording one. Kept structural so the log does not depend on the hub's logger module.
 */
export type LogSink = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

/** A sink that drops everything, for callers that pass no logger. */
export const silentLogSink: LogSink = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
