/**
 * Socket.io room names. Every socket joins exactly one audience room (its actor's, or the
 * devices' room) plus `all`, so an event is emitted either once to `all` or once per
 * audience room that may see it.
 */
export const rooms = {
  all: () => 'all',
  actor: (actorId: string) => `actor:${actorId}`,
  devices: () => 'devices',
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
  device: (deviceId: string) => `device:${deviceId}`,
} as const;
