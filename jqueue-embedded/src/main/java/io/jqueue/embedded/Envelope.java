package io.jqueue.embedded;

import io.jqueue.Message;
import io.jqueue.time.TimeSource;
import java.time.Instant;

/**
 * A message held by one queue, with its queue-side state. Guarded by the owning queue's lock;
 * identity-based equality (one envelope per message per queue).
 */
final class Envelope {
  final Message message;
  final Instant enqueuedAt;
  final Instant expiresAt;
  final int priority;
  final String key;

  /** Deliveries made so far (the current one included while leased). */
  int attempts;

  /** The active lease, or {@code null} when ready or delayed. */
  Lease lease;

  /** The pending retry timer, while delayed. */
  TimeSource.Cancellable retryTimer;

  Envelope(Message message, Instant enqueuedAt, Instant expiresAt, int priority) {
    this.message = message;
    this.enqueuedAt = enqueuedAt;
    this.expiresAt = expiresAt;
    this.priority = priority;
    this.key = message.key().orElse(null);
  }

  boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "Envelope{" + message.id() + ", attempts=" + attempts + '}';
  }
}
