import { createHash } from 'node:crypto';

/** A Lua script and its SHA1, which EVALSHA names it by. */
export type LuaScript = { source: string; sha: string };

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Lua of the append script. The value of `cmd:<commandId>` is
 * `<seq>|<payload hash>|<sender>` (the hash empty for a system change without one; the
 * sender last, as it may hold any character). A value of digits alone was stored before
 * senders and hashes were: the sender is then read from the command's last event, and any
 * payload matches. `same(known, hash, sender)` returns the remembered seq and whether the
 * command sent again is the one stored under the id (as isSameCommand in event-log.ts).
 */
const SAME_COMMAND_LUA = `
local function same(known, hash, sender, stream)
  local a = string.find(known, '|', 1, true)
  if not a then
    local entry = redis.call('XRANGE', stream, known .. '-0', known .. '-0')
    if #entry == 0 then return known, true end
    local ok, event = pcall(cjson.decode, entry[1][2][2])
    if not ok or type(event) ~= 'table' or type(event.by) ~= 'table' then return known, true end
    return known, event.by.userId == sender
  end
  local b = string.find(known, '|', a + 1, true)
  local seq = string.sub(known, 1, a - 1)
  local storedHash = string.sub(known, a + 1, b - 1)
  local storedSender = string.sub(known, b + 1)
  return seq, storedSender == sender and (storedHash == '' or hash == '' or storedHash == hash)
end
`;

/**
 * Appends several commands' events back to back, as one unit: Redis runs a script without
 * interleaving any other command, and with AOF the script's writes are logged as one unit.
 * The checks come before any write, so either the whole batch is written or nothing.
 *
 * Turns keep two busy writers from starving one another: the writer whose batch meets a
 * conflict gets the next turn (the turn key holds its token for a few ms), and until it
 * appends (which clears the turn) or the turn expires, the other writers' batches are
 * refused with the time left, which they wait before trying again.
 *
 * KEYS: head, events stream, turn, then cmd:<commandId> for each command in order
 * ARGV: expectedSeq, idempotency window (ms), most entries to send back, writer token,
 * turn length (ms), then per command its event count, payload hash ('' for none) and
 * sender, followed by that many event JSONs
 * Returns {status, head, duplicates, entries, wait, idConflicts}: status 'appended' with
 * the new head, or 'duplicate' (when any command was appended before; `duplicates` lists
 * the 1-based position in the batch and the last seq of each one sent again by the same
 * sender with the same payload, `idConflicts` the positions of those appended before by
 * another sender or with another payload) or 'conflict' (when the head is not
 * expectedSeq, or another writer has the turn: then `wait` is the ms it has left), both
 * with the head and the stream entries after expectedSeq (XRANGE form, at most the given
 * count), so the caller catches up without another round trip.
 *
 * Only the first XADD can fail (if the stream were ahead of `head`), and it fails before
 * anything is written, so an error never leaves half a batch behind.
 */
export const APPEND_BATCH_SCRIPT = script(`${SAME_COMMAND_LUA}
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local expected = tonumber(ARGV[1])
local duplicates = {}
local idConflicts = {}
local a = 6
for i = 4, #KEYS do
  local known = redis.call('GET', KEYS[i])
  if known then
    local seq, isSame = same(known, ARGV[a + 1], ARGV[a + 2], KEYS[2])
    if isSame then
      duplicates[#duplicates + 1] = string.format('%d', i - 3)
      duplicates[#duplicates + 1] = seq
    else
      idConflicts[#idConflicts + 1] = string.format('%d', i - 3)
    end
  end
  a = a + 3 + tonumber(ARGV[a])
end
local turn = redis.call('GET', KEYS[3])
local wait = 0
if turn and turn ~= ARGV[4] then wait = math.max(1, redis.call('PTTL', KEYS[3])) end
if #duplicates > 0 or #idConflicts > 0 or head ~= expected or wait > 0 then
  local entries = {}
  if head > expected then
    entries = redis.call('XRANGE', KEYS[2], string.format('%d-0', expected + 1), '+', 'COUNT', ARGV[3])
  end
  if #duplicates > 0 or #idConflicts > 0 then
    return {'duplicate', string.format('%d', head), duplicates, entries, 0, idConflicts}
  end
  if wait == 0 and not turn then redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5]) end
  return {'conflict', string.format('%d', head), duplicates, entries, wait, idConflicts}
end
a = 6
for i = 4, #KEYS do
  local n = tonumber(ARGV[a])
  local fingerprint = ARGV[a + 1] .. '|' .. ARGV[a + 2]
  a = a + 3
  for _ = 1, n do
    head = head + 1
    redis.call('XADD', KEYS[2], string.format('%d-0', head), 'e', ARGV[a])
    a = a + 1
  end
  redis.call('SET', KEYS[i], string.format('%d', head) .. '|' .. fingerprint, 'PX', ARGV[2])
end
local last = string.format('%d', head)
redis.call('SET', KEYS[1], last)
if turn then redis.call('DEL', KEYS[3]) end
return {'appended', last, {}, {}, 0, {}}
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
