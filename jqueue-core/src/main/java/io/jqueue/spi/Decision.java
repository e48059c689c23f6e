package io.jqueue.spi;

import io.jqueue.DeadLetterReason;
import java.time.Duration;

/**
 * What a broker does with a message once one delivery of it has ended, as {@link AttemptRule}
 * decides: the broker only carries it out.
 */
public sealed interface Decision
    permits Decision.RetryAfter, Decision.DeadLetter, Decision.Release {

  /** Deliver the message again after {@code delay}; the attempt that ended counts. */
  record RetryAfter(Duration delay) implements Decision {}

  /**
   * Move the message to the dead-letter queue with {@code reason} and the last error (or a {@code
   * detail} text when there is no error object).
   */
  record DeadLetter(DeadLetterReason reason, Throwable error, String detail) implements Decision {}

  /**
   * Put the message back at the front of its queue at once; {@code counted} says whether the
   * attempt that ended counts (a handler had begun) or is given back (it only waited in a buffer).
   */
  record Release(boolean counted) implements Decision {}
}
