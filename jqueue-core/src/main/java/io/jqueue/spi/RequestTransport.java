package io.jqueue.spi;

import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import java.time.Instant;

/**
 * How a broker carries one requester's requests and replies: the reply-to address requests carry,
 * the send at the end of the requester's publish chain, and a reply consumer that hands each reply
 * to the callback the broker was given ({@link AbstractBroker#openRequestTransport}). Thread-safe.
 */
public interface RequestTransport extends AutoCloseable {

  /** The reply-to address every request of the requester carries. */
  String replyTo();

  /**
   * Sends {@code request} (its correlation id and reply-to already set): the last link of the
   * requester's publish chain; returns only once the broker has it, and never waits past {@code
   * deadline}.
   */
  PublishReceipt send(Message request, Instant deadline);

  /** Stops taking replies and releases what the transport holds. Idempotent; never throws. */
  @Override
  void close();
}
