package io.channels4j.redis;

import io.lettuce.core.ScriptOutputType;

/**
 * The Lua scripts of {@link GroupHistoryStore}. KEYS: the group's history stream and its state hash
 * ({@link KeyLayout#history}, {@link KeyLayout#historyState}), in one slot on a cluster. Both trim the
 * stream by the group's max age (measured on the layer's clock, passed in) before anything else.
 */
final class HistoryScripts {

  private HistoryScripts() {}

  /** Drops entries older than {@code age} ms before {@code now} from the head of the stream. */
  private static final String TRIM_BY_AGE = """
      local function trim_by_age(stream, now, age)
        if age <= 0 then return end
        local cutoff = now - age
        while true do
          local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
          if #first == 0 or tonumber(first[1][2][2]) >= cutoff then return end
          redis.call('XDEL', stream, first[1][1])
        end
      end
      """;

  /**
   * Records one message. ARGV: the encoded message, now (ms), max messages, max age (ms, 0 for none), the
   * keys' TTL (s). Returns the message's id: the state's {@code last} plus one. If the state was gone
   * (expired or flushed) the ids restart at 1 and any stale stream is dropped first.
   */
  static final Script RECORD = new Script(recordFunction() + """
      return record(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
      """, ScriptOutputType.INTEGER);

  /**
   * The Lua function {@code record(stream, state, message, now, max, age, ttl)} behind {@link #RECORD}
   * (its KEYS and ARGV as parameters), returning the id; {@link Scripts#GROUP_SEND_LOCAL_RECORDED} calls
   * it too.
   */
  static String recordFunction() {
    return TRIM_BY_AGE + """
        local function record(stream, state, message, now, max, age, ttl)
          local id = redis.call('HINCRBY', state, 'last', 1)
          if id == 1 then redis.call('DEL', stream) end
          redis.call('HSET', state, 'age', age)
          redis.call('XADD', stream, 'MAXLEN', max, id .. '-0', 't', now, 'm', message)
          trim_by_age(stream, tonumber(now), tonumber(age))
          redis.call('EXPIRE', stream, ttl)
          redis.call('EXPIRE', state, ttl)
          return id
        end
        """;
  }

  /**
   * Reads after a cursor. ARGV: now (ms), the cursor (-1 if it is not one; it and one beyond the last id
   * read from the start), the most entries wanted (0 for none).
   * Returns {@code {last id given, first id kept (last + 1 if none), id, message, id, message, ...}}.
   */
  static final Script READ = new Script(TRIM_BY_AGE + """
      local last = tonumber(redis.call('HGET', KEYS[2], 'last') or '0')
      local age = tonumber(redis.call('HGET', KEYS[2], 'age') or '0')
      trim_by_age(KEYS[1], tonumber(ARGV[1]), age)
      local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
      local first_kept = last + 1
      if #first > 0 then first_kept = tonumber(string.match(first[1][1], '^(%d+)')) end
      local out = {last, first_kept}
      local max = tonumber(ARGV[3])
      if max > 0 then
        local after = tonumber(ARGV[2])
        if after < 0 or after > last then after = 0 end
        local entries = redis.call('XRANGE', KEYS[1], (after + 1) .. '-0', '+', 'COUNT', max)
        for _, e in ipairs(entries) do
          out[#out + 1] = tonumber(string.match(e[1], '^(%d+)'))
          out[#out + 1] = e[2][4]
        end
      end
      return out
      """, ScriptOutputType.MULTI);
}
