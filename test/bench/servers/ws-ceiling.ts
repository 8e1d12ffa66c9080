import { WebSocketServer, WebSocket } from 'ws';

/**
 * The ceiling of S1: a bare `ws` server that forwards a publisher's frame to every other
 * socket it holds. No socket.io, no log, no inter-process hop (the publisher hands the
 * frame to each process itself). A frame starting with `P` is a publish; the rest of it
 * is sent on, byte for byte. Port from PORT (0 picks a free port).
 */
const PUBLISH = 0x50;

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  perMessageDeflate: false,
  backlog: 4096,
});

wss.on('connection', (socket) => {
  socket.on('message', (data: Buffer, isBinary) => {
    if (isBinary || data[0] !== PUBLISH) return;
    const frame = data.subarray(1);
    for (const client of wss.clients) {
      if (client !== socket && client.readyState === WebSocket.OPEN) client.send(frame, { binary: false });
    }
  });
});

wss.on('listening', () => {
  const address = wss.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  console.log(`listening on http://127.0.0.1:${port}`);
});

process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  wss.close(() => process.exit(0));
});
