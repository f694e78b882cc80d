package io.channels4j.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread support shared by the modules. Not a public API: may change without notice.
 *
 * <p>Detects virtual threads at run time (Java 21+) while compiling for Java 17.
 */
public final class Threads {

  private static final Logger LOG = LoggerFactory.getLogger(Threads.class);
  private static final ExecutorService VIRTUAL = newVirtualThreadPerTaskExecutor();
  private static volatile ExecutorService blocking;

  private Threads() {}

  /** True when this runtime has virtual threads. */
  public static boolean hasVirtualThreads() {
    return VIRTUAL != null;
  }

  /**
   * The shared executor for blocking (sync) work: a virtual thread per task when the runtime has them,
   * else a bounded pool of daemon threads ({@code max(32, 8 x cores)}) with an unbounded queue.
   */
  public static ExecutorService blockingExecutor() {
    if (VIRTUAL != null) {
      return VIRTUAL;
    }
    ExecutorService e = blocking;
    if (e == null) {
      synchronized (Threads.class) {
        e = blocking;
        if (e == null) {
          int n = Math.max(32, 8 * Runtime.getRuntime().availableProcessors());
          ThreadPoolExecutor pool =
              new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonFactory("channels-sync-"));
          pool.allowCoreThreadTimeOut(true);
          blocking = e = pool;
          LOG.debug("No virtual threads on Java {}: sync consumers run on a pool of {} threads",
              Runtime.version().feature(), n);
        }
      }
    }
    return e;
  }

  /** A factory of daemon platform threads named {@code prefix + n}. */
  public static ThreadFactory daemonFactory(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static ExecutorService newVirtualThreadPerTaskExecutor() {
    try {
      Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) m.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
