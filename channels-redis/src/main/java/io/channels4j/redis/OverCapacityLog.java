package io.channels4j.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "over capacity" lines of group sends, at most one INFO line per channel (Redis key) per minute:
 * a dead node's full key would otherwise log on every send to its rooms. Repeats go to DEBUG.
 */
final class OverCapacityLog {

  private static final Logger LOG = LoggerFactory.getLogger(OverCapacityLog.class);
  private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final int MAX_TRACKED = 10_000;

  /** Channel (non-local name) -> when it was last logged at INFO (nanoTime). */
  private final ConcurrentHashMap<String, Long> lastLogged = new ConcurrentHashMap<>();

  /** {@code full} (non-local channel names) were over capacity in a send to {@code group} of {@code members}. */
  void report(String group, long members, List<String> full) {
    if (full.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    List<String> fresh = new ArrayList<>();
    for (String channel : full) {
      boolean[] logIt = {false};
      lastLogged.compute(channel, (k, last) -> {
        if (last == null || now - last >= WINDOW_NANOS) {
          logIt[0] = true;
          return now;
        }
        return last;
      });
      if (logIt[0]) {
        fresh.add(channel);
      }
    }
    if (!fresh.isEmpty()) {
      LOG.info("{} of {} channels over capacity in group {}: {} (logged once a minute per channel)",
          full.size(), members, group, fresh);
    } else {
      LOG.debug("{} of {} channels over capacity in group {}: {}", full.size(), members, group, full);
    }
    if (lastLogged.size() > MAX_TRACKED) {
      lastLogged.values().removeIf(t -> now - t >= WINDOW_NANOS);
    }
  }
}
