package io.jqueue.time;

import io.jqueue.internal.NamedThreadFactory;
import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The real clock, with one daemon timer thread; owned and shut down by its broker. */
public final class SystemTimeSource implements TimeSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemTimeSource.class);

  private final ScheduledThreadPoolExecutor timer;

  public SystemTimeSource(String name) {
    timer = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("jqueue-" + name + "-timer"));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Runnable guarded =
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.error("jqueue timer task failed", e);
          }
        };
    long nanos = Math.max(0, saturatedNanos(delay));
    var future = timer.schedule(guarded, nanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static long saturatedNanos(Duration d) {
    return Saturating.toNanos(d);
  }
}
