package io.jqueue.embedded;

import io.jqueue.Message;
import java.time.Instant;

/**
 * A message held by one queue, with its queue-side state. Guarded by the owning queue's lock;
 * identity-based equality (one envelope per message per queue).
 */
final class Envelope {
  final Message message;
  private final long enqueuedSecond; // not an Instant: a queued message costs few bytes
  private final int enqueuedNano;
  final Instant expiresAt;
  final int priority;
  final String key;

  /** Deliveries made so far (the current one included while leased). */
  int attempts;

  /** The active lease, or {@code null} when ready or delayed. */
  Lease lease;

  /** Neighbours in arrival order in a {@link MemoryMessageStore}. */
  Envelope storePrev;

  Envelope storeNext;

  Envelope(Message message, Instant enqueuedAt, Instant expiresAt, int priority) {
    this.message = message;
    this.enqueuedSecond = enqueuedAt.getEpochSecond();
    this.enqueuedNano = enqueuedAt.getNano();
    this.expiresAt = expiresAt;
    this.priority = priority;
    this.key = message.key().orElse(null);
  }

  Instant enqueuedAt() {
    return Instant.ofEpochSecond(enqueuedSecond, enqueuedNano);
  }

  /** Microseconds from when the queue accepted it until {@code now}; 0 if {@code now} is before. */
  long microsSinceEnqueued(Instant now) {
    long seconds = now.getEpochSecond() - enqueuedSecond;
    long micros = seconds * 1_000_000L + (now.getNano() - enqueuedNano) / 1_000;
    return seconds < 0 || micros < 0 ? 0 : seconds > 1L << 40 ? Long.MAX_VALUE : micros;
  }

  boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "Envelope{" + message.id() + ", attempts=" + attempts + '}';
  }
}
