package io.jqueue.internal;

import io.jqueue.Broker;
import io.jqueue.JQueueException;
import io.jqueue.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a table of every queue's statistics at INFO on a fixed period (the seed's monitor). */
public final class StatsReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("io.jqueue.stats");

  private final ScheduledFuture<?> task;

  private StatsReporter(ScheduledFuture<?> task) {
    this.task = task;
  }

  /** Starts reporting {@code broker}'s queues every {@code interval} on {@code scheduler}. */
  public static StatsReporter start(
      Broker broker, Duration interval, ScheduledExecutorService scheduler) {
    long millis = Saturating.toMillis(interval);
    return new StatsReporter(
        scheduler.scheduleAtFixedRate(() -> report(broker), millis, millis, TimeUnit.MILLISECONDS));
  }

  /** Logs one report now. */
  public static void report(Broker broker) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    List<QueueStats> stats = new ArrayList<>();
    for (String queue : Consumables.of(broker)) {
      try {
        stats.add(broker.stats(queue));
      } catch (JQueueException e) {
        // the queue was deleted, or the broker closed, since queues() was read: skip it
      }
    }
    if (!stats.isEmpty()) {
      LOG.info("queue statistics\n{}", StatsTable.format(stats));
    }
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
