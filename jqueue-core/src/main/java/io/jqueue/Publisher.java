package io.jqueue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes messages to a broker through a middleware chain; thread-safe.
 *
 * <p>Every method that returns normally means the broker has the message; a method that cannot say
 * so throws (or completes its future with) a {@link JQueueException}. Nothing is ever reported as
 * "probably sent".
 */
public interface Publisher extends AutoCloseable {

  /** This publisher's id, from {@link PublisherOptions#id()}. */
  String id();

  /**
   * Publishes {@code message} and waits, up to the publisher's default timeout, until the broker
   * has it.
   *
   * @throws ValidationException when the message has no topic or breaks a limit
   * @throws MessageTooLargeException when the payload is over the limit
   * @throws DestinationNotFoundException when the destination was never declared
   * @throws QueueFullException when the destination is full and rejects
   * @throws PublishTimeoutException when the broker did not accept it in time
   * @throws BrokerClosedException when this publisher or its broker is closed
   */
  PublishReceipt publish(Message message);

  /** Like {@link #publish(Message)}, waiting at most {@code timeout}. */
  PublishReceipt publish(Message message, Duration timeout);

  /**
   * Publishes without blocking the caller for the broker: the future completes with the receipt
   * once the broker has the message, or exceptionally with the same errors {@link
   * #publish(Message)} throws. When the publisher's bounded async queue is full, the caller runs
   * the publish itself (back-pressure rather than an unbounded backlog).
   */
  CompletableFuture<PublishReceipt> publishAsync(Message message);

  /**
   * Publishes {@code messages} in order as one batch within the default timeout; a failing message
   * does not stop the others. Returns one outcome per message.
   */
  BatchResult publishAll(List<Message> messages);

  /**
   * Whether this publisher can publish now, and if not, why: its broker's health, DOWN once the
   * publisher is closed, and the health of each middleware that is a {@link HealthContributor} (an
   * open circuit breaker: DOWN). The worst of them wins. Never throws, also after close.
   */
  Health health();

  /**
   * Stops intake, waits up to {@code timeout} for queued asynchronous publishes to complete, then
   * fails any still pending with {@link BrokerClosedException}. Idempotent.
   */
  void close(Duration timeout);

  /** Closes with a 30 second timeout. */
  @Override
  default void close() {
    close(Duration.ofSeconds(30));
  }
}
