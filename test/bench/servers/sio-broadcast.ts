import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';

/**
 * The baseline of S1: plain socket.io with the Redis adapter and no log. A client's
 * `publish` is emitted to every socket on every process sharing REDIS_URL, exactly what
 * `io.emit` does in any socket.io app; the hub adds the durable log, the decision and
 * the catch-up bookkeeping on top of this.
 */
const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error('REDIS_URL is required');

const pub = createClient({ url: redisUrl });
const sub = pub.duplicate();
await Promise.all([pub.connect(), sub.connect()]);

const httpServer = createServer();
// Same engine settings as the hub, so only what runs on top differs.
const io = new Server(httpServer, {
  adapter: createAdapter(pub, sub),
  pingInterval: 10_000,
  pingTimeout: 10_000,
});

io.on('connection', (socket) => {
  socket.on('publish', (payload: unknown, ack: unknown) => {
    io.emit('sync.events', payload);
    if (typeof ack === 'function') ack({ ok: true });
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  console.log(`listening on http://127.0.0.1:${port}`);
});

process.on('SIGTERM', () => {
  io.close(() => {
    void Promise.allSettled([pub.close(), sub.close()]).then(() => process.exit(0));
  });
});
