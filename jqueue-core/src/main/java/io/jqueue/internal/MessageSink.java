package io.jqueue.internal;

import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The last link of every publish chain: hands a message to the broker. Implemented by each broker.
 */
@FunctionalInterface
public interface MessageSink {

  /**
   * Sends {@code message}; returns only once the broker has it, and never waits past {@code
   * deadline} (then throws {@link io.jqueue.PublishTimeoutException}).
   */
  PublishReceipt send(Message message, Instant deadline);

  /**
   * Starts sending {@code message} and returns the future of its receipt, with the outcomes {@link
   * #send} has: it completes with a receipt only once the broker has the message. Returns once the
   * message is on its way, after waiting (never past {@code deadline}) for room among the broker's
   * unconfirmed publishes if it must; a failure to start may come as a failed future or be thrown.
   * A broker completes the future off its I/O threads, since whoever waits on it runs there; the
   * chain itself fails it at the deadline if it is still pending. The default sends synchronously.
   */
  default CompletableFuture<PublishReceipt> sendAsync(Message message, Instant deadline) {
    try {
      return CompletableFuture.completedFuture(send(message, deadline));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
