package io.channels4j.redis;

import io.lettuce.core.ScriptOutputType;

/**
 * The Lua scripts of {@link RedisChannelLayer}: a send, channels_redis's group send, the one-script
 * group send of a single server, and channels_redis's in-flight cleanup. Each runs by EVALSHA ({@link
 * Script}); their effects on keys are channels_redis's, so Python processes sharing the keys see the
 * same data.
 */
final class Scripts {

  private Scripts() {}

  /** Purge, capacity check, add and expire in one step; returns 1 if the key was full. */
  static final Script SEND = new Script(
      "redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[3])\n"
          + "if redis.call('ZCOUNT', KEYS[1], '-inf', '+inf') >= tonumber(ARGV[4]) then\n"
          + "  return 1\n"
          + "end\n"
          + "redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])\n"
          + "redis.call('EXPIRE', KEYS[1], ARGV[5])\n"
          + "return 0\n",
      ScriptOutputType.INTEGER);

  /** channels_redis's group send script, verbatim. */
  static final Script GROUP_SEND = new Script(
      "\n                local over_capacity = 0\n"
          + "                local current_time = ARGV[#ARGV - 1]\n"
          + "                local expiry = ARGV[#ARGV]\n"
          + "                for i=1,#KEYS do\n"
          + "                    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then\n"
          + "                        redis.call('ZADD', KEYS[i], current_time, ARGV[i])\n"
          + "                        redis.call('EXPIRE', KEYS[i], expiry)\n"
          + "                    else\n"
          + "                        over_capacity = over_capacity + 1\n"
          + "                    end\n"
          + "                end\n"
          + "                return over_capacity\n            ",
      ScriptOutputType.INTEGER);

  /**
   * A whole group send in one step, for a single (non-cluster) Redis server without encryption or
   * per-channel capacities, where this script can see every key. KEYS[1] is the group key; ARGV: 1 the
   * stored member up to its {@code __asgi_channel__} value (12 random bytes, then the msgpack map with
   * one more entry than the message, ending with the key {@code "__asgi_channel__"}), 2 the score,
   * 3 the group purge bound, 4 the channel purge bound, 5 the capacity, 6 the expiry, 7 the key prefix.
   * Returns {members, keys over capacity}. The channel keys are derived here, not passed in KEYS:
   * allowed on a single server, which is why cluster and sharded modes keep the two-step path.
   */
  static final Script GROUP_SEND_LOCAL = new Script(
      // 1. Drop expired memberships, then read the rest oldest first (ZREMRANGEBYSCORE + ZRANGE).
      "redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[3])\n"
          + "local members = redis.call('ZRANGE', KEYS[1], 0, -1)\n"
          // 2. Group the channels by Redis key: prefix + non-local name (up to and including '!').
          + "local keys, lists = {}, {}\n"
          + "for _, ch in ipairs(members) do\n"
          + "  local bang = string.find(ch, '!', 1, true)\n"
          + "  local key = ARGV[7] .. (bang and string.sub(ch, 1, bang) or ch)\n"
          + "  local list = lists[key]\n"
          + "  if not list then\n"
          + "    list = {}\n"
          + "    lists[key] = list\n"
          + "    keys[#keys + 1] = key\n"
          + "  end\n"
          + "  list[#list + 1] = ch\n"
          + "end\n"
          // msgpack headers, as MsgPack writes them: big-endian lengths.
          + "local function be(n, width)\n"
          + "  local b = {}\n"
          + "  for i = width, 1, -1 do\n"
          + "    b[i] = n % 256\n"
          + "    n = math.floor(n / 256)\n"
          + "  end\n"
          + "  return string.char(unpack(b))\n"
          + "end\n"
          + "local function str(s)\n"
          + "  local n = #s\n"
          + "  if n < 32 then return string.char(0xa0 + n) .. s end\n"
          + "  if n < 256 then return string.char(0xd9, n) .. s end\n"
          + "  if n < 65536 then return string.char(0xda) .. be(n, 2) .. s end\n"
          + "  return string.char(0xdb) .. be(n, 4) .. s\n"
          + "end\n"
          + "local function arr(n)\n"
          + "  if n < 16 then return string.char(0x90 + n) end\n"
          + "  if n < 65536 then return string.char(0xdc) .. be(n, 2) end\n"
          + "  return string.char(0xdd) .. be(n, 4)\n"
          + "end\n"
          // 3. Per key, as SEND/GROUP_SEND: purge, capacity check, add (member + channel list), expire.
          + "local over = 0\n"
          + "local capacity = tonumber(ARGV[5])\n"
          + "for _, key in ipairs(keys) do\n"
          + "  local list = lists[key]\n"
          + "  redis.call('ZREMRANGEBYSCORE', key, 0, ARGV[4])\n"
          + "  if redis.call('ZCARD', key) < capacity then\n"
          + "    local parts = {ARGV[1], arr(#list)}\n"
          + "    for _, ch in ipairs(list) do\n"
          + "      parts[#parts + 1] = str(ch)\n"
          + "    end\n"
          + "    redis.call('ZADD', key, ARGV[2], table.concat(parts))\n"
          + "    redis.call('EXPIRE', key, ARGV[6])\n"
          + "  else\n"
          + "    over = over + 1\n"
          + "  end\n"
          + "end\n"
          + "return {#members, over}\n",
      ScriptOutputType.MULTI);

  /** channels_redis's in-flight cleanup (re-queue popped but unacknowledged messages), with KEYS. */
  static final Script CLEANUP = new Script(
      "local backed_up = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')\n"
          + "for i = #backed_up, 1, -2 do\n"
          + "  redis.call('ZADD', KEYS[1], backed_up[i], backed_up[i - 1])\n"
          + "end\n"
          + "redis.call('DEL', KEYS[2])\n"
          + "return 0\n",
      ScriptOutputType.INTEGER);
}
