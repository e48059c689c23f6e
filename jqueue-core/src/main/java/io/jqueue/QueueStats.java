package io.jqueue;

import java.time.Duration;
import java.util.List;

/**
 * A snapshot of one queue's figures (SPEC §4). Counters count since the queue was declared in this
 * broker instance.
 *
 * @param queue the queue name
 * @param depth messages ready for delivery
 * @param inFlight messages leased to a consumer and not yet settled
 * @param delayed messages waiting for their retry backoff to pass
 * @param published messages accepted by the queue
 * @param acked messages acknowledged
 * @param failed failed attempts (handler errors, explicit retries, expired leases)
 * @param retried failed attempts that were scheduled for another delivery
 * @param deadLettered messages moved to the dead-letter queue
 * @param expired messages whose TTL ran out before delivery (dead-lettered or dropped)
 * @param dropped messages removed without a trace in a queue: expired with the {@code DROP} policy,
 *     or pushed out of a bounded dead-letter queue (each is also logged)
 * @param dlqDepth messages in the dead-letter queue
 * @param oldestMessageAge age of the oldest message held (ready, in flight or delayed); zero when
 *     empty
 * @param latency time from enqueue to ack of acknowledged messages
 * @param subscribers per-consumer figures of the current push consumers
 */
public record QueueStats(
    String queue,
    long depth,
    long inFlight,
    long delayed,
    long published,
    long acked,
    long failed,
    long retried,
    long deadLettered,
    long expired,
    long dropped,
    long dlqDepth,
    Duration oldestMessageAge,
    LatencySummary latency,
    List<SubscriberStats> subscribers) {

  /** Copies the subscriber list. */
  public QueueStats {
    subscribers = List.copyOf(subscribers);
  }

  /** Messages held by the queue in any state: ready, in flight or delayed. */
  public long size() {
    return depth + inFlight + delayed;
  }
}
