package io.jqueue.spi;

import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;

/** What a broker's deliveries offer jqueue itself beyond the public {@link Delivery}. */
public interface InternalDelivery extends Delivery {

  /** Dead-letters with a reason other than {@code REJECTED}, recording {@code error}. */
  void deadLetter(DeadLetterReason reason, Throwable error);

  /**
   * Whether the lease ended without an outcome from the consumer (it expired, or its consumer
   * closed): the message was made visible again.
   */
  boolean isLeaseLost();

  /** The delivery whose lease this one settles (itself, unless it is a view). */
  default InternalDelivery origin() {
    return this;
  }
}
