package io.jqueue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A message broker: declares queues, hands out publishers, runs consumers. Thread-safe.
 *
 * <p>Every method that waits takes or has a bound; after {@link #close} every method throws {@link
 * BrokerClosedException}.
 */
public interface Broker extends AutoCloseable {

  /**
   * Declares a queue and its dead-letter queue {@code <name>.dlq}. Idempotent for an equal spec.
   *
   * @throws TopologyConflictException when the queue exists with a different spec
   */
  void declareQueue(QueueSpec spec);

  /**
   * Deletes a queue and its dead-letter queue with every message in them; stops their consumers.
   * Returns whether the queue existed.
   */
  boolean deleteQueue(String name);

  /** The names of the declared queues (not their dead-letter queues). */
  Set<String> queues();

  /**
   * Declares a topic (idempotent; a different spec for an existing one is a {@link
   * TopologyConflictException}). Publishing to a topic copies the message to every matching
   * subscription; with no subscription the publish still succeeds (and is retained, if the topic
   * retains).
   *
   * @throws ConfigurationException when the broker lacks {@link Capability#TOPICS}
   */
  void declareTopic(TopicSpec spec);

  /**
   * Declares a subscription of a declared topic (idempotent, conflicts as queues do); consume it
   * with {@code subscribe(spec.address(), ...)} or {@code receive(spec.address(), ...)}. A new one
   * starts at {@link SubscriptionSpec#startAt()}.
   *
   * @throws DestinationNotFoundException when the topic was not declared
   * @throws ValidationException when the filter is malformed
   */
  void declareSubscription(SubscriptionSpec spec);

  /** Deletes a subscription ({@code topic/name}) with its messages; false when unknown. */
  boolean deleteSubscription(String address);

  /** Deletes a topic, its subscriptions and what it retains; false when unknown. */
  boolean deleteTopic(String topic);

  /** The declared topics. */
  Set<String> topics();

  /** The addresses ({@code topic/name}) of {@code topic}'s subscriptions. */
  Set<String> subscriptions(String topic);

  /**
   * Delivers to subscription {@code address} again every message its topic retains that was
   * published at or after {@code from} and that matches the subscription (SPEC §5 replay).
   *
   * @throws ConfigurationException when the broker lacks {@link Capability#REPLAY}
   */
  void seek(String address, Instant from);

  /**
   * The broker's shared publisher with default options (id {@code default}): every call returns the
   * same thread-safe instance, so it may be asked for per request. Its {@code close} does nothing;
   * it closes with the broker.
   */
  Publisher publisher();

  /**
   * A new publisher with {@code options}, with threads of its own for {@code publishAsync}: keep it
   * and close it when done (the broker closes it when it closes).
   */
  Publisher publisher(PublisherOptions options);

  /**
   * Starts a push consumer of {@code queue}: the handler runs for each delivery; returning acks,
   * throwing fails the attempt. Several subscriptions of one queue compete for its messages.
   *
   * @throws DestinationNotFoundException when the queue was never declared
   */
  Subscription subscribe(String queue, ConsumerOptions options, MessageHandler handler);

  /** Starts a push consumer with default options. */
  default Subscription subscribe(String queue, MessageHandler handler) {
    return subscribe(queue, ConsumerOptions.defaults(), handler);
  }

  /**
   * Pulls up to {@code max} messages, waiting up to {@code wait} for the first one. Each returned
   * delivery is leased for the queue's visibility timeout and must be settled by the caller.
   * Returns an empty list when nothing arrived in time. Deliveries carry the consumer id {@code
   * pull}, decode as JSON and pass no middleware.
   */
  default List<Delivery> receive(String queue, int max, Duration wait) {
    return receive(queue, ConsumerOptions.pull(), max, wait);
  }

  /**
   * Pulls as {@link #receive(String, int, Duration)} does, with the codec, consumer id and consume
   * middlewares of {@code options} (concurrency, prefetch and executor do not apply). Each delivery
   * passes the middlewares before it is returned, the caller taking the handler's place (see {@link
   * ConsumeMiddleware}); one a middleware settled (a decode error, a duplicate) is not returned,
   * and the wait goes on for others.
   */
  List<Delivery> receive(String queue, ConsumerOptions options, int max, Duration wait);

  /** A new requester with default options; see {@link #requester(RequesterOptions)}. */
  default Requester requester() {
    return requester(RequesterOptions.defaults());
  }

  /**
   * A new requester (SPEC §6) with a reply consumer of its own: keep it and close it when done (the
   * broker closes it when it closes).
   *
   * @throws ValidationException when an open requester of this broker has the same id
   */
  Requester requester(RequesterOptions options);

  /**
   * Serves requests from {@code queue}: a subscription (with {@code options}: concurrency,
   * middlewares, ...) whose handler runs {@code responder} for each request and publishes its reply
   * to the request's reply-to with the request's correlation id. When the responder throws, the
   * reply carries the error ({@link JQueueHeaders#ERROR_CLASS}, {@link
   * JQueueHeaders#ERROR_MESSAGE}) and the request is acknowledged: the requester reports the error
   * at once, so a retry would only answer a caller who already has its answer, and a dead letter
   * would be a second record of a failure its caller owns. A message without reply-to or
   * correlation id, or with a reply-to this broker cannot address, cannot be answered: it is
   * dead-lettered ({@link DeadLetterReason#REJECTED}) with the reason, never looped. A reply that
   * cannot be published for a passing cause ({@link JQueueException#isTransient}) fails the
   * attempt, so the request is retried by the queue's rules; one whose requester is gone is
   * dropped.
   *
   * @throws DestinationNotFoundException when the queue was never declared
   */
  Subscription respond(String queue, ConsumerOptions options, Responder responder);

  /** Serves requests from {@code queue} with default consumer options. */
  default Subscription respond(String queue, Responder responder) {
    return respond(queue, ConsumerOptions.defaults(), responder);
  }

  /** The dead-letter queue operations of {@code queue}. */
  DeadLetters deadLetters(String queue);

  /** A snapshot of {@code queue}'s figures. */
  QueueStats stats(String queue);

  /** What this broker supports beyond the common contract. */
  BrokerCapabilities capabilities();

  /**
   * Whether this broker can work now, and if not, why (for example DOWN while a lost connection
   * recovers, DEGRADED while the server blocks publishing). Fast and non-blocking; unlike the other
   * methods it never throws, and reports DOWN after {@link #close}.
   */
  Health health();

  /**
   * Calls {@code listener} on a jqueue thread each time {@link #health()} changes, until the
   * returned registration is closed or the broker has closed (its last call reports the close). It
   * is not called for the health at the time it is added: read {@link #health()} for that.
   */
  HealthListener.Registration onHealthChange(HealthListener listener);

  /**
   * Stops intake, lets running handlers finish for up to {@code timeout}, returns every message
   * still held by a consumer to its queue, then releases all resources. Idempotent: a call made
   * while another is closing the broker returns only once the broker is closed.
   */
  void close(Duration timeout);

  /** Closes with a 30 second timeout. */
  @Override
  default void close() {
    close(Duration.ofSeconds(30));
  }
}
