package io.jqueue;

import java.time.Duration;
import java.util.List;

/**
 * A snapshot of one queue's figures (SPEC §4). Counters count since the queue was declared in this
 * broker instance.
 *
 * @param queue the queue name
 * @param ready messages ready for delivery (the queue's depth)
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
 * @param filtered messages of a subscription's topic that its action patterns matched but its
 *     filter skipped (0 for a queue)
 */
public record QueueStats(
    String queue,
    long ready,
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
    List<SubscriberStats> subscribers,
    long filtered) {

  /** Copies the subscriber list. */
  public QueueStats {
    subscribers = List.copyOf(subscribers);
  }

  /** Messages not settled yet, in any state: ready, in flight or delayed. */
  public long size() {
    return ready + inFlight + delayed;
  }

  /** A builder for the figures of {@code queue}; every figure not set is zero (or empty). */
  public static Builder builder(String queue) {
    return new Builder(queue);
  }

  /** Builds a {@link QueueStats} by name rather than by position. Not thread-safe. */
  public static final class Builder {
    private final String queue;
    private long ready;
    private long inFlight;
    private long delayed;
    private long published;
    private long acked;
    private long failed;
    private long retried;
    private long deadLettered;
    private long expired;
    private long dropped;
    private long dlqDepth;
    private long filtered;
    private Duration oldestMessageAge = Duration.ZERO;
    private LatencySummary latency = LatencySummary.EMPTY;
    private List<SubscriberStats> subscribers = List.of();

    private Builder(String queue) {
      this.queue = java.util.Objects.requireNonNull(queue, "queue");
    }

    /** Messages ready for delivery. */
    public Builder ready(long n) {
      this.ready = n;
      return this;
    }

    /** Messages leased and not settled. */
    public Builder inFlight(long n) {
      this.inFlight = n;
      return this;
    }

    /** Messages waiting for their retry backoff. */
    public Builder delayed(long n) {
      this.delayed = n;
      return this;
    }

    /** Messages accepted. */
    public Builder published(long n) {
      this.published = n;
      return this;
    }

    /** Messages acknowledged. */
    public Builder acked(long n) {
      this.acked = n;
      return this;
    }

    /** Failed attempts. */
    public Builder failed(long n) {
      this.failed = n;
      return this;
    }

    /** Failed attempts scheduled for another delivery. */
    public Builder retried(long n) {
      this.retried = n;
      return this;
    }

    /** Messages moved to the dead-letter queue. */
    public Builder deadLettered(long n) {
      this.deadLettered = n;
      return this;
    }

    /** Messages whose TTL ran out before delivery. */
    public Builder expired(long n) {
      this.expired = n;
      return this;
    }

    /** Messages removed without a trace in a queue (each counted and logged). */
    public Builder dropped(long n) {
      this.dropped = n;
      return this;
    }

    /** Messages in the dead-letter queue. */
    public Builder dlqDepth(long n) {
      this.dlqDepth = n;
      return this;
    }

    /** Age of the oldest message held; zero when empty or unknown. */
    public Builder oldestMessageAge(Duration age) {
      this.oldestMessageAge = java.util.Objects.requireNonNull(age, "age");
      return this;
    }

    /** Enqueue-to-ack latency. */
    public Builder latency(LatencySummary summary) {
      this.latency = java.util.Objects.requireNonNull(summary, "latency");
      return this;
    }

    /** Messages a subscription's filter skipped. */
    public Builder filtered(long n) {
      this.filtered = n;
      return this;
    }

    /** Per-consumer figures. */
    public Builder subscribers(List<SubscriberStats> list) {
      this.subscribers = java.util.Objects.requireNonNull(list, "subscribers");
      return this;
    }

    /** The snapshot. */
    public QueueStats build() {
      return new QueueStats(
          queue,
          ready,
          inFlight,
          delayed,
          published,
          acked,
          failed,
          retried,
          deadLettered,
          expired,
          dropped,
          dlqDepth,
          oldestMessageAge,
          latency,
          subscribers,
          filtered);
    }
  }
}
