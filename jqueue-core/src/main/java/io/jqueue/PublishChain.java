package io.jqueue;

import java.time.Duration;
import java.time.Instant;

/** The rest of the publish chain, as seen by one {@link PublishMiddleware}. */
public interface PublishChain {

  /**
   * Passes {@code message} to the next link and returns its receipt; throws what the rest of the
   * chain or the broker throws.
   */
  PublishReceipt proceed(Message message);

  /** The caller's deadline: no link may make the caller wait past it. */
  Instant deadline();

  /** Time left until {@link #deadline()}, never negative. */
  default Duration remaining() {
    Duration left = Duration.between(Instant.now(), deadline());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The id of the publisher running this chain. */
  String publisherId();
}
