package io.jqueue.internal;

import io.jqueue.Broker;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.RequesterOptions;
import io.jqueue.spi.RequestReply;
import io.jqueue.spi.RequestTransport;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Request-reply over queues, for any broker: each requester consumes a {@link ReplyQueue} of its
 * own, a reply-to is a queue name, and requests and replies are ordinary publishes.
 */
public final class ReplyQueues implements RequestReply {

  /** The broker's send: the end of every publish chain. */
  @FunctionalInterface
  public interface Send {
    /** Publishes {@code message} for publisher {@code publisherId}, confirmed by the deadline. */
    PublishReceipt send(Message message, Instant deadline, String publisherId);
  }

  private final Broker broker;
  private final Send send;

  /** Request-reply on {@code broker}, publishing with {@code send}. */
  public ReplyQueues(Broker broker, Send send) {
    this.broker = broker;
    this.send = send;
  }

  @Override
  public RequestTransport openRequester(RequesterOptions options, Consumer<Message> replies) {
    String publisherId = options.publisher().id();
    return ReplyQueue.open(
        broker, options, (m, deadline) -> send.send(m, deadline, publisherId), replies);
  }

  @Override
  public void checkReplyTo(String replyTo) {
    Names.requireValidDestination(replyTo, "reply-to");
  }

  @Override
  public PublishReceipt sendReply(
      Message reply, String replyTo, Instant deadline, String publisherId) {
    return send.send(reply.toBuilder().topic(replyTo).build(), deadline, publisherId);
  }
}
