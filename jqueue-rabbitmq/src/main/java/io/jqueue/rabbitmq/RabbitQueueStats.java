package io.jqueue.rabbitmq;

import io.jqueue.QueueStats;
import io.jqueue.SubscriberStats;
import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.util.List;

/**
 * A snapshot of one queue's figures on RabbitMQ: the depths RabbitMQ tells (main, retry, delay,
 * dead-letter and expired queues) with the counters this client keeps.
 */
final class RabbitQueueStats {
  /**
   * Longest a stats read waits for dead-letter moves under way (it then leaves out those not yet
   * confirmed): statistics and metric scrapes must not wait on the broker's confirms.
   */
  private static final Duration STATS_WAIT = Duration.ofMillis(250);

  private RabbitQueueStats() {}

  /** The figures of {@code rt}, whose consumers report {@code subscribers}. */
  static QueueStats of(QueueRuntime rt, Admin admin, List<SubscriberStats> subscribers) {
    // first the dead letters counted so far, once their moves landed; the depths after them
    long deadLettered = rt.deadLetteredArrived(Saturating.deadlineAfter(STATS_WAIT)); // real time
    long depth = 0;
    for (String physical : rt.physicalQueues()) {
      depth += admin.messageCount(physical);
    }
    long delayed = 0;
    long dlqDepth = 0;
    if (!rt.deadLetterQueue) {
      if (!rt.ordered()) {
        delayed += admin.messageCount(Topology.retryQueue(rt.name));
      }
      for (long ms : rt.delayBuckets) {
        try {
          delayed += admin.messageCount(Topology.delayQueue(rt.name, ms));
        } catch (io.jqueue.DestinationNotFoundException e) {
          // deleted by someone else since: the next retry through it declares it again
        }
      }
      // expired messages on their way to the dead-letter queue count as dead letters
      dlqDepth =
          admin.messageCount(Topology.deadLetterQueue(rt.name))
              + admin.messageCount(Topology.expiredQueue(rt.name));
    }
    return QueueStats.builder(rt.name)
        .ready(depth)
        .inFlight(rt.inFlight.get())
        .delayed(delayed)
        .published(rt.published.sum())
        .acked(rt.acked.sum())
        .failed(rt.failed.sum())
        .retried(rt.retried.sum())
        .deadLettered(deadLettered)
        .expired(rt.expired.sum())
        .dropped(rt.dropped.sum())
        .filtered(rt.filtered.sum())
        .dlqDepth(dlqDepth)
        // oldest message age stays zero: RabbitMQ does not tell it over AMQP
        .latency(rt.latency.summary())
        .subscribers(subscribers)
        .build();
  }
}
