package io.jqueue.rabbitmq;

import com.rabbitmq.client.Connection;
import io.jqueue.Message;
import io.jqueue.OverflowPolicy;
import io.jqueue.PublishReceipt;
import io.jqueue.RequesterOptions;
import io.jqueue.ValidationException;
import io.jqueue.internal.Utf8;
import io.jqueue.spi.RequestReply;
import io.jqueue.spi.RequestTransport;
import io.jqueue.time.TimeSource;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Request-reply on RabbitMQ with direct reply-to (docs/rabbitmq.md): a requester consumes the
 * pseudo-queue {@code amq.rabbitmq.reply-to} on a channel of its own ({@link RequestChannel}) and
 * publishes its requests there with that reply-to, which RabbitMQ turns into an address of that
 * channel; a responder publishes the reply to the default exchange with the address as routing key,
 * so no reply queue is declared. A reply-to is an AMQP property, never checked as a queue name:
 * {@code amq.} names are jqueue's to refuse for destinations, not for addresses.
 */
final class DirectReplyTo implements RequestReply {
  /** The pseudo-queue a requester consumes and names as its requests' reply-to. */
  static final String PSEUDO_QUEUE = "amq.rabbitmq.reply-to";

  /** Sends a request as any publish is sent, through the given channels. */
  @FunctionalInterface
  interface Routing {
    PublishReceipt send(Message m, Instant deadline, String publisherId, Sender via);
  }

  private final Connection connection;
  private final ConnectionState connectionState;
  private final RabbitMqConfig config;
  private final Sender replies;
  private final TimeSource clock;
  private final Routing routing;

  /**
   * Request-reply whose requesters use {@code connection} (the publishing one, watched by {@code
   * connectionState}), whose replies go out through {@code replies}, routing requests with {@code
   * routing}.
   */
  DirectReplyTo(
      Connection connection,
      ConnectionState connectionState,
      RabbitMqConfig config,
      Sender replies,
      TimeSource clock,
      Routing routing) {
    this.connection = connection;
    this.connectionState = connectionState;
    this.config = config;
    this.replies = replies;
    this.clock = clock;
    this.routing = routing;
  }

  @Override
  public RequestTransport openRequester(RequesterOptions options, Consumer<Message> replies) {
    String publisherId = options.publisher().id();
    return RequestChannel.open(
        connection,
        config.maxOutstandingConfirms(),
        options.id(),
        replies,
        (request, deadline, channels) ->
            routing.send(
                request, deadline, publisherId, new Sender(channels, connectionState, config)));
  }

  @Override
  public void checkReplyTo(String replyTo) {
    int bytes = Utf8.length(replyTo);
    if (bytes > 255) {
      throw new ValidationException(
          "reply-to is "
              + bytes
              + " bytes long, over the 255 an AMQP routing key holds; no reply can reach it");
    }
  }

  /**
   * Publishes {@code reply} to the default exchange with routing key {@code replyTo}, confirmed.
   * Not mandatory: RabbitMQ documents a mandatory publish to a direct reply-to address as
   * unroutable (3.10 delivers it all the same), and a reply whose requester is gone is dropped
   * either way.
   */
  @Override
  public PublishReceipt sendReply(
      Message reply, String replyTo, Instant deadline, String publisherId) {
    replies.send(
        "",
        replyTo,
        replyTo,
        WireFormat.properties(reply, 0, publisherId, clock.now()),
        reply.payload(),
        deadline,
        OverflowPolicy.REJECT,
        false);
    return new PublishReceipt(reply.id(), replyTo, clock.now());
  }
}
