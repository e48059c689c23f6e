package io.jqueue.time;

import io.jqueue.internal.NamedThreadFactory;
import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real clock, with one daemon timer thread ({@code jqueue-<name>-timer-1}) that runs the tasks
 * in time order. A task that throws is logged, not lost, and the tasks after it still run. Whoever
 * creates one closes it: a broker closes the one it made itself, never one it was given.
 * Thread-safe.
 */
public final class SystemTimeSource implements TimeSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemTimeSource.class);

  private final ScheduledThreadPoolExecutor timer;

  /** A clock whose timer thread is named after {@code name} (for example the broker's name). */
  public SystemTimeSource(String name) {
    Objects.requireNonNull(name, "name");
    timer = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("jqueue-" + name + "-timer"));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  /**
   * {@inheritDoc}
   *
   * @throws RejectedExecutionException once this clock is closed
   */
  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    Runnable guarded =
        () -> {
          try {
            task.run();
          } catch (RuntimeException | Error e) { // the executor would keep it in a future unread
            LOG.error("jqueue timer task failed", e);
          }
        };
    long nanos = Math.max(0, Saturating.toNanos(delay));
    var future = timer.schedule(guarded, nanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  /** Stops the timer thread; tasks not yet run never run. Idempotent. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
