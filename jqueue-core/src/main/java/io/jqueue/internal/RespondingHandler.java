package io.jqueue.internal;

import io.jqueue.BrokerClosedException;
import io.jqueue.Delivery;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.JQueueException;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.MessageHandler;
import io.jqueue.PublisherOptions;
import io.jqueue.Responder;
import io.jqueue.ValidationException;
import io.jqueue.spi.RequestReply;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler behind {@code Broker.respond}: runs the responder for a request and publishes its
 * reply, or an error reply when it throws, to the request's reply-to with the request's correlation
 * id. The reply passes a publish chain (the broker's default headers and the limits check) ending
 * in the broker's reply send. Documented on {@code Broker.respond}.
 */
public final class RespondingHandler implements MessageHandler {
  /** The topic a reply carries through its chain when its reply-to is not a jqueue name. */
  public static final String REPLY_TOPIC = "jqueue.reply";

  private static final Logger LOG = LoggerFactory.getLogger(RespondingHandler.class);
  private static final int MAX_ERROR_TEXT = 1000;

  private final String queue;
  private final Responder responder;
  private final PublisherOptions replyOptions;
  private final Map<String, String> brokerDefaults;
  private final RequestReply transport;

  /**
   * A handler for requests taken from {@code queue} by consumer {@code consumerId}; replies go
   * through a chain with the broker's {@code brokerDefaults} (publisher id {@code consumerId}) and
   * are sent by {@code transport}.
   */
  public RespondingHandler(
      String queue,
      String consumerId,
      Responder responder,
      Map<String, String> brokerDefaults,
      RequestReply transport) {
    this.queue = queue;
    this.responder = Objects.requireNonNull(responder, "responder");
    this.replyOptions = PublisherOptions.builder().id(consumerId).build();
    this.brokerDefaults = brokerDefaults;
    this.transport = transport;
  }

  @Override
  public void handle(Delivery delivery) throws Exception {
    Message request = delivery.message();
    Optional<String> replyTo = request.replyTo();
    Optional<String> correlationId = request.correlationId();
    if (replyTo.isEmpty() || correlationId.isEmpty()) {
      delivery.deadLetter(
          "not a request: message "
              + request.id()
              + " has no "
              + (replyTo.isEmpty() ? JQueueHeaders.REPLY_TO : JQueueHeaders.CORRELATION_ID)
              + ", so the responder of '"
              + queue
              + "' cannot answer it; send requests with Requester.request");
      return;
    }
    try {
      transport.checkReplyTo(replyTo.get());
    } catch (ValidationException e) {
      delivery.deadLetter(
          "request "
              + request.id()
              + " cannot be answered: its reply-to is unusable here ("
              + e.getMessage()
              + ")");
      return;
    }
    String topic = topicFor(replyTo.get());
    Message reply;
    try {
      Message answer = responder.respond(delivery);
      Optional<Delivery.Outcome> outcome = delivery.outcome();
      if (outcome.isPresent()
          && (outcome.get() == Delivery.Outcome.FAILED
              || outcome.get() == Delivery.Outcome.DEAD_LETTERED)) {
        return; // the responder settled it itself: a later attempt answers, or nobody does
      }
      reply =
          answer == null
              ? errorReply(
                  new ValidationException("the responder of '" + queue + "' returned no reply"),
                  correlationId.get(),
                  topic)
              : asReply(answer, correlationId.get(), topic);
    } catch (InterruptedException e) {
      throw e; // its lease ended or its consumer is closing: the request goes back to the queue
    } catch (Exception e) {
      reply = errorReply(e, correlationId.get(), topic);
    }
    publish(reply, replyTo.get(), correlationId.get(), topic);
  }

  private void publish(Message reply, String replyTo, String correlationId, String topic) {
    String publisherId = replyOptions.id();
    PublishPipeline chain =
        new PublishPipeline(
            replyOptions,
            brokerDefaults,
            (m, deadline) -> transport.sendReply(m, replyTo, deadline, publisherId));
    try {
      chain.publish(reply, Saturating.deadlineAfter(replyOptions.publishTimeout()));
    } catch (DestinationNotFoundException e) {
      LOG.debug("no one waits at '{}' any more (its requester closed): reply dropped", replyTo);
    } catch (JQueueException e) {
      if (JQueueException.isTransient(e)
          || e instanceof BrokerClosedException
          || reply.header(JQueueHeaders.ERROR_CLASS).isPresent()) {
        throw e; // the attempt fails: the queue's rules retry the request
      }
      // the reply itself broke a rule (too large, a bad header): tell the requester so
      chain.publish(
          errorReply(e, correlationId, topic),
          Saturating.deadlineAfter(replyOptions.publishTimeout()));
    }
  }

  private static String topicFor(String replyTo) {
    try {
      return Names.requireValidDestination(replyTo, "reply-to");
    } catch (ValidationException notAName) { // RabbitMQ's direct reply-to address, for one
      return REPLY_TOPIC;
    }
  }

  private static Message asReply(Message answer, String correlationId, String topic) {
    return answer.toBuilder()
        .topic(topic)
        .correlationId(correlationId)
        .replyTo(null)
        .removeHeader(JQueueHeaders.ERROR_CLASS)
        .removeHeader(JQueueHeaders.ERROR_MESSAGE)
        .build();
  }

  private static Message errorReply(Throwable error, String correlationId, String topic) {
    String text;
    try {
      text = error.getMessage() == null ? "" : error.getMessage();
    } catch (RuntimeException e) { // a hostile error: its class still says what failed
      text = Errors.messageOf(error);
    }
    if (text.length() > MAX_ERROR_TEXT) {
      text = text.substring(0, MAX_ERROR_TEXT - 3) + "...";
    }
    return Message.builder()
        .topic(topic)
        .correlationId(correlationId)
        .header(JQueueHeaders.ERROR_CLASS, error.getClass().getName())
        .header(JQueueHeaders.ERROR_MESSAGE, text)
        .build();
  }
}
