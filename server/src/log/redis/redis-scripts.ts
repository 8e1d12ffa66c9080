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
 * The log's identity check, first in every script that writes or reads on behalf of a hub:
 * `meta`'s epoch must be the one the hub opened (ARGV given as `epochArg`). A Redis that
 * lost its data (FLUSHALL, a restart without its AOF, a failover to an empty replica) has
 * no epoch, or a new log's: the script then returns `lost` before touching anything, so a
 * hub never appends into, nor reads from, a log it did not open.
 */
const identityLua = (metaKey: string, epochArg: string, lost: string) => `
local identity = redis.call('HGET', ${metaKey}, 'epoch')
if identity ~= ${epochArg} then ${lost} end
`;

/**
 * The field of `meta` a restore sets first and clears last (RESTORE_BEGIN_SCRIPT): while
 * it is there the log is not whole, and no hub opens it.
 */
export const RESTORING_FIELD = 'restoring';

/**
 * Names a log once: the first hub to open it sets the epoch and, from it, the log id (a
 * log from before log ids gets its epoch as its id). Atomic, so hubs starting together
 * agree. A log that a restore is still writing is left as it is. KEYS: meta. ARGV: a new
 * epoch. Returns {logId, epoch, false} or, mid-restore, {'', '', when the restore began}.
 */
export const OPEN_LOG_SCRIPT = script(`
local restoring = redis.call('HGET', KEYS[1], '${RESTORING_FIELD}')
if restoring then return {'', '', restoring} end
redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1])
local epoch = redis.call('HGET', KEYS[1], 'epoch')
redis.call('HSETNX', KEYS[1], 'logId', epoch)
return {redis.call('HGET', KEYS[1], 'logId'), epoch, false}
`);

/**
 * The periodic identity check (redis-identity.ts): the stored epoch (false when gone), the
 * head, and the stream entry at a seq the hub read (none for '0', or once trimmed), whose
 * command must still be the one the hub read there. KEYS: meta, head, events. ARGV: that
 * entry's id, or '0'. Returns {epoch or false, head, entries}.
 */
export const PROBE_SCRIPT = script(`
local entries = {}
if ARGV[1] ~= '0' then entries = redis.call('XRANGE', KEYS[3], ARGV[1], ARGV[1]) end
return {redis.call('HGET', KEYS[1], 'epoch'), redis.call('GET', KEYS[2]) or '0', entries}
`);

/**
 * Begins a restore: writes `meta` with the restoring field, only if there is no `meta`
 * yet (a hub that started since the restore found the prefix empty has made one). KEYS:
 * meta. ARGV: field, value, … Returns 1 when written, 0 when a meta was there.
 */
export const RESTORE_BEGIN_SCRIPT = script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`);

/**
 * Reads stream entries after the identity check. KEYS: meta, events. ARGV: epoch, first
 * entry id, count. Returns {1, entries} or {0, the stored epoch or ''} when lost.
 */
export const READ_SCRIPT = script(`${identityLua('KEYS[1]', 'ARGV[1]', "return {0, identity or ''}")}
return {1, redis.call('XRANGE', KEYS[2], ARGV[2], '+', 'COUNT', ARGV[3])}
`);

/**
 * Reads a command id's value after the identity check. KEYS: meta, cmd:<commandId>.
 * ARGV: epoch. Returns {1, value or ''} or {0, the stored epoch or ''} when lost.
 */
export const FIND_COMMAND_SCRIPT = script(`${identityLua('KEYS[1]', 'ARGV[1]', "return {0, identity or ''}")}
return {1, redis.call('GET', KEYS[2]) or ''}
`);

/**
 * The log's clock, in Lua: `stamp(meta)` reads Redis `TIME`, never earlier than the last
 * stamp it gave (kept in meta's `clock` field, written by the caller once it has written,
 * as `stampedMs`), and returns it as an ISO 8601 string in UTC with milliseconds, the form
 * `Date.prototype.toISOString` gives. Every event of a log is stamped by the one Redis, so
 * times from different hubs compare, whatever the hubs' own clocks say, and a duration
 * between two events is never negative. (Redis replicates a script's effects, so reading
 * the time in it is safe.)
 */
export const STAMP_LUA = `
local stampedMs = 0
local function isoTime(ms)
  local secs = math.floor(ms / 1000)
  local days = math.floor(secs / 86400)
  local rem = secs - days * 86400
  -- Days since 1970-01-01 to a civil date (Howard Hinnant's days_from_civil, inverted).
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local day = doy - math.floor((153 * mp + 2) / 5) + 1
  local month = mp < 10 and mp + 3 or mp - 9
  local year = yoe + era * 400
  if month <= 2 then year = year + 1 end
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ', year, month, day,
    math.floor(rem / 3600), math.floor(rem % 3600 / 60), rem % 60, ms - secs * 1000)
end
local function stamp(meta)
  local now = redis.call('TIME')
  local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  local last = tonumber(redis.call('HGET', meta, 'clock') or '0')
  if ms < last then ms = last end
  stampedMs = ms
  return isoTime(ms)
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
 * KEYS: head, events stream, turn, meta, then cmd:<commandId> for each command in order
 * ARGV: expectedSeq, idempotency window (ms), most entries to send back, writer token,
 * turn length (ms), the epoch the hub opened, then per command its event count, payload
 * hash ('' for none) and sender, followed by that many event JSONs without `at`: the
 * script stamps every event of the batch with one time of the log's clock (`STAMP_LUA`)
 * Returns {status, head, duplicates, entries, wait, idConflicts, at}: status 'lost' (with the
 * stored epoch, or '', in place of the entries) when the identity check fails; 'behind'
 * when the head is below expectedSeq: a hub only sends a seq it read from this log, so
 * Redis lost events it had acknowledged (a failover to a replica that lagged behind, with
 * the epoch intact); 'appended' with
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
export const APPEND_BATCH_SCRIPT = script(`${SAME_COMMAND_LUA}${STAMP_LUA}
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
${identityLua('KEYS[4]', 'ARGV[6]', "return {'lost', string.format('%d', head), {}, identity or '', 0, {}}")}
local expected = tonumber(ARGV[1])
if head < expected then return {'behind', string.format('%d', head), {}, {}, 0, {}} end
local duplicates = {}
local idConflicts = {}
local a = 7
for i = 5, #KEYS do
  local known = redis.call('GET', KEYS[i])
  if known then
    local seq, isSame = same(known, ARGV[a + 1], ARGV[a + 2], KEYS[2])
    if isSame then
      duplicates[#duplicates + 1] = string.format('%d', i - 4)
      duplicates[#duplicates + 1] = seq
    else
      idConflicts[#idConflicts + 1] = string.format('%d', i - 4)
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
local at = stamp(KEYS[4])
local atField = '{"at":"' .. at .. '",'
a = 7
for i = 5, #KEYS do
  local n = tonumber(ARGV[a])
  local fingerprint = ARGV[a + 1] .. '|' .. ARGV[a + 2]
  a = a + 3
  for _ = 1, n do
    head = head + 1
    redis.call('XADD', KEYS[2], string.format('%d-0', head), 'e', atField .. string.sub(ARGV[a], 2))
    a = a + 1
  end
  redis.call('SET', KEYS[i], string.format('%d', head) .. '|' .. fingerprint, 'PX', ARGV[2])
end
local last = string.format('%d', head)
redis.call('SET', KEYS[1], last)
redis.call('HSET', KEYS[4], 'clock', string.format('%d', stampedMs))
if turn then redis.call('DEL', KEYS[3]) end
return {'appended', last, {}, {}, 0, {}, at}
`);

/**
 * Stores a snapshot unless one at the same or a later seq is stored, then trims the
 * stream to the retained history before it.
 *
 * KEYS: snapshot hash, events stream, head, meta
 * ARGV: seq, state JSON, directory JSON, MINID to trim to ('' for none), the epoch the hub opened
 * Returns 1 when stored, 0 when a newer one was there, -1 when seq is beyond the head, -2
 * when the log is not the one the hub opened (a lost hub's snapshot must not become the
 * start of another log).
 */
export const SNAPSHOT_SCRIPT = script(`${identityLua('KEYS[4]', 'ARGV[5]', 'return -2')}
local seq = tonumber(ARGV[1])
local head = tonumber(redis.call('GET', KEYS[3]) or '0')
if seq > head then return -1 end
local current = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if seq <= current then return 0 end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'state', ARGV[2], 'directory', ARGV[3])
if ARGV[4] ~= '' then redis.call('XTRIM', KEYS[2], 'MINID', ARGV[4]) end
return 1
`);
