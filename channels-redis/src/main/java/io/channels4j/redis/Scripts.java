package io.channels4j.redis;

import io.lettuce.core.ScriptOutputType;

/**
 * The Lua scripts of {@link RedisChannelLayer}: a send, the group sends (one script on a single
 * server, or one per shard/slot), and channels_redis's in-flight cleanup. Each runs by EVALSHA ({@link
 * Script}); their writes are channels_redis's, so Python processes sharing the keys see the same data.
 * Beyond channels_redis, the group sends skip and purge the members of Java processes whose liveness
 * mark is gone ({@link LivenessMarks}).
 */
final class Scripts {

  private Scripts() {}

  /** Lua: msgpack headers ({@code str}, {@code arr}) as MsgPack writes them. */
  private static final String MSGPACK_HEADERS = """
      -- msgpack headers, as MsgPack writes them: big-endian lengths.
      local function be(n, width)
        local b = {}
        for i = width, 1, -1 do
          b[i] = n % 256
          n = math.floor(n / 256)
        end
        return string.char(unpack(b))
      end
      local function str(s)
        local n = #s
        if n < 32 then return string.char(0xa0 + n) .. s end
        if n < 256 then return string.char(0xd9, n) .. s end
        if n < 65536 then return string.char(0xda) .. be(n, 2) .. s end
        return string.char(0xdb) .. be(n, 4) .. s
      end
      local function arr(n)
        if n < 16 then return string.char(0x90 + n) end
        if n < 65536 then return string.char(0xdc) .. be(n, 2) end
        return string.char(0xdd) .. be(n, 4)
      end
      """;

  /**
   * Lua: the group send of {@link #GROUP_SEND_LOCAL} with the member's bytes up to its channel list in
   * {@code head}; leaves its reply in {@code result}.
   */
  private static final String GROUP_SEND_LOCAL_BODY = """
      -- 1. Drop expired memberships, then read the rest oldest first (ZREMRANGEBYSCORE + ZRANGE).
      redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[3])
      local members = redis.call('ZRANGE', KEYS[1], 0, -1)
      -- 2. Group the channels by Redis key: prefix + non-local name (up to and including '!').
      local keys, lists, processes = {}, {}, {}
      for _, ch in ipairs(members) do
        local bang = string.find(ch, '!', 1, true)
        local nonlocal = bang and string.sub(ch, 1, bang) or ch
        local key = ARGV[7] .. nonlocal
        local list = lists[key]
        if not list then
          list = {}
          lists[key] = list
          keys[#keys + 1] = key
          if bang then
            processes[key] = nonlocal
          end
        end
        list[#list + 1] = ch
      end
      -- A process that keeps liveness marks (watched) but no longer refreshes them (alive) is gone.
      local function gone(nonlocal)
        return nonlocal and redis.call('EXISTS', ARGV[7] .. ':watched:' .. nonlocal) == 1
          and redis.call('EXISTS', ARGV[7] .. ':alive:' .. nonlocal) == 0
      end
      -- 3. Per key, as SEND/GROUP_SEND: purge, capacity check, add (member + channel list), expire.
      local result = {#members, 0}
      local capacity = tonumber(ARGV[5])
      for _, key in ipairs(keys) do
        local list = lists[key]
        if gone(processes[key]) then
          for i = 1, #list, 1000 do
            redis.call('ZREM', KEYS[1], unpack(list, i, math.min(i + 999, #list)))
          end
          redis.call('DEL', key)
          result[2] = result[2] + #list
        else
          redis.call('ZREMRANGEBYSCORE', key, 0, ARGV[4])
          if redis.call('ZCARD', key) < capacity then
            local parts = {head, arr(#list)}
            for _, ch in ipairs(list) do
              parts[#parts + 1] = str(ch)
            end
            redis.call('ZADD', key, ARGV[2], table.concat(parts))
            redis.call('EXPIRE', key, ARGV[6])
          else
            result[#result + 1] = key
          end
        end
      end
      """;

  /** Purge, capacity check, add and expire in one step; returns 1 if the key was full. */
  static final Script SEND = new Script("""
      redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[3])
      if redis.call('ZCOUNT', KEYS[1], '-inf', '+inf') >= tonumber(ARGV[4]) then
        return 1
      end
      redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
      redis.call('EXPIRE', KEYS[1], ARGV[5])
      return 0
      """, ScriptOutputType.INTEGER);

  /**
   * channels_redis's group send script (per key: ZADD and EXPIRE unless the key is at capacity) for n
   * keys of one shard or slot, plus the liveness rule. KEYS: n channel keys, then their n {@code
   * watched} and n {@code alive} keys; ARGV: n members, n capacities, the score, the expiry. Returns one
   * status per key: 0 written, 1 over capacity, 2 its process is gone (its key is deleted; the caller
   * removes its members from the group).
   */
  static final Script GROUP_SEND = new Script("""
      local n = #KEYS / 3
      local current_time = ARGV[#ARGV - 1]
      local expiry = ARGV[#ARGV]
      local status = {}
      for i = 1, n do
        if redis.call('EXISTS', KEYS[n + i]) == 1 and redis.call('EXISTS', KEYS[2 * n + i]) == 0 then
          redis.call('DEL', KEYS[i])
          status[i] = 2
        elseif redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + n]) then
          redis.call('ZADD', KEYS[i], current_time, ARGV[i])
          redis.call('EXPIRE', KEYS[i], expiry)
          status[i] = 0
        else
          status[i] = 1
        end
      end
      return status
      """, ScriptOutputType.MULTI);

  /**
   * A whole group send in one step, for a single (non-cluster) Redis server without encryption or
   * per-channel capacities, where this script can see every key. KEYS[1] is the group key; ARGV: 1 the
   * stored member up to its {@code __asgi_channel__} value (12 random bytes, then the msgpack map with
   * one more entry than the message, ending with the key {@code "__asgi_channel__"}), 2 the score,
   * 3 the group purge bound, 4 the channel purge bound, 5 the capacity, 6 the expiry, 7 the key prefix.
   * Returns {members, members purged as gone, then the keys over capacity}. The channel and mark keys
   * are derived here, not passed in KEYS: allowed on a single server, which is why cluster and sharded
   * modes keep the two-step path.
   */
  static final Script GROUP_SEND_LOCAL = new Script(MSGPACK_HEADERS + """
      local head = ARGV[1]
      """ + GROUP_SEND_LOCAL_BODY + """
      return result
      """, ScriptOutputType.MULTI);

  /**
   * {@link HistoryScripts#RECORD} and {@link #GROUP_SEND_LOCAL} in one step, for the same single server:
   * the message is recorded and its id written into the member the group gets, with one round trip
   * instead of two. KEYS: the group key, the history stream, the history state. ARGV 1-7 as {@link
   * #GROUP_SEND_LOCAL}, except that ARGV[1] ends with the key {@code "history_id"} and ARGV[8] is the
   * rest of the member before its channel list (the key {@code "__asgi_channel__"}); the script puts the
   * id between them as a msgpack string, the form {@code Long.toString} gives. ARGV 9-13: the history
   * entry, now (ms), max messages, max age (ms), the history keys' TTL ({@link HistoryScripts#RECORD}'s
   * ARGV). Returns {id, then what {@link #GROUP_SEND_LOCAL} returns}.
   */
  static final Script GROUP_SEND_LOCAL_RECORDED = new Script(HistoryScripts.recordFunction() + MSGPACK_HEADERS + """
      local id = record(KEYS[2], KEYS[3], ARGV[9], ARGV[10], ARGV[11], ARGV[12], ARGV[13])
      local head = ARGV[1] .. str(string.format('%d', id)) .. ARGV[8]
      """ + GROUP_SEND_LOCAL_BODY + """
      table.insert(result, 1, id)
      return result
      """, ScriptOutputType.MULTI);

  /** channels_redis's in-flight cleanup (re-queue popped but unacknowledged messages), with KEYS. */
  static final Script CLEANUP = new Script("""
      local backed_up = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
      for i = #backed_up, 1, -2 do
        redis.call('ZADD', KEYS[1], backed_up[i], backed_up[i - 1])
      end
      redis.call('DEL', KEYS[2])
      return 0
      """, ScriptOutputType.INTEGER);
}
