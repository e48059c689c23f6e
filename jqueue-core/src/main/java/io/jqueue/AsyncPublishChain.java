package io.jqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The rest of the publish chain, as seen by one {@link AsyncPublishMiddleware} on the pipelined
 * path, where many messages wait for the broker's confirmation at once.
 */
public interface AsyncPublishChain {

  /**
   * Passes {@code message} to the next link and returns the future of its receipt: it completes
   * once the broker has the message, or exceptionally with what the rest of the chain or the broker
   * reports (the errors {@link PublishChain#proceed} throws). Returns as soon as the message is on
   * its way; it may first wait, never past {@link #deadline()}, for room among the broker's
   * unconfirmed publishes (back-pressure). Never throws: every failure comes as a failed future.
   */
  CompletableFuture<PublishReceipt> proceed(Message message);

  /** The caller's deadline: the future completes by then at the latest. */
  Instant deadline();

  /** Time left until {@link #deadline()}, never negative. */
  default Duration remaining() {
    Duration left = Duration.between(Instant.now(), deadline());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The id of the publisher running this chain. */
  String publisherId();
}
