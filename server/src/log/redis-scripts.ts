import { createHash } from 'node:crypto';

/** A Lua script and its SHA1, which EVALSHA names it by. */
export type LuaScript = { source: string; sha: string };

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Appends one command's events, atomically: Redis runs a script without interleaving any
 * other command, and with AOF the script's writes are logged as one unit.
 *
 * KEYS: head, events stream, cmd:<commandId>
 * ARGV: expectedSeq, idempotency window (ms), then one event JSON per event
 * Returns {status, seq}: 'duplicate' with the command's last seq, 'conflict' with the
 * head, or 'appended' with the new head.
 *
 * Only the first XADD can fail (if the stream were ahead of `head`), and it fails before
 * anything is written, so an error never leaves half a command behind.
 */
export const APPEND_SCRIPT = script(`
local known = redis.call('GET', KEYS[3])
if known then return {'duplicate', known} end
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
if head ~= tonumber(ARGV[1]) then return {'conflict', string.format('%d', head)} end
for i = 3, #ARGV do
  head = head + 1
  redis.call('XADD', KEYS[2], string.format('%d-0', head), 'e', ARGV[i])
end
local last = string.format('%d', head)
redis.call('SET', KEYS[1], last)
redis.call('SET', KEYS[3], last, 'PX', ARGV[2])
return {'appended', last}
`);

/**
 * Stores a snapshot unless one at the same or a later seq is stored, then trims the
 * stream to the retained history before it.
 *
 * KEYS: snapshot hash, events stream, head
 * ARGV: seq, state JSON, directory JSON, MINID to trim to ('' for none)
 * Returns 1 when stored, 0 when a newer one was there, -1 when seq is beyond the head.
 */
export const SNAPSHOT_SCRIPT = script(`
local seq = tonumber(ARGV[1])
local head = tonumber(redis.call('GET', KEYS[3]) or '0')
if seq > head then return -1 end
local current = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if seq <= current then return 0 end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'state', ARGV[2], 'directory', ARGV[3])
if ARGV[4] ~= '' then redis.call('XTRIM', KEYS[2], 'MINID', ARGV[4]) end
return 1
`);
