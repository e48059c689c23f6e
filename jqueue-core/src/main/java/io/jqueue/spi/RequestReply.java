package io.jqueue.spi;

import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.RequesterOptions;
import io.jqueue.ValidationException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * How a broker carries request-reply (SPEC §6): a transport per requester, and where responders'
 * replies go. {@link AbstractBroker#requestReply()} gives the default, a reply queue per requester;
 * a broker with a better way (RabbitMQ: direct reply-to) supplies its own. Thread-safe.
 */
public interface RequestReply {

  /**
   * Opens the transport of a new requester with {@code options}; it hands each reply to {@code
   * replies}.
   */
  RequestTransport openRequester(RequesterOptions options, Consumer<Message> replies);

  /**
   * Checks, before a responder runs, that a reply can be addressed to {@code replyTo}.
   *
   * @throws ValidationException when it cannot (the request is then dead-lettered)
   */
  void checkReplyTo(String replyTo);

  /**
   * Publishes {@code reply} to {@code replyTo} for the responder {@code publisherId}, confirmed by
   * {@code deadline}: the last link of a reply's publish chain, whatever topic the reply carries.
   *
   * @throws io.jqueue.DestinationNotFoundException when nobody waits at {@code replyTo} any more
   */
  PublishReceipt sendReply(Message reply, String replyTo, Instant deadline, String publisherId);
}
