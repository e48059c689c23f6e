package io.jqueue.internal;

import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import java.time.Instant;

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
}
