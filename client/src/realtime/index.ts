export {
  COMMAND_ACK_TIMEOUT_MS,
  handshakeAuth,
  resumeRealtime,
  sendCommand,
  startRealtime,
  stopRealtime,
  type CommandResult,
  type RealtimeOptions,
} from './realtime';
