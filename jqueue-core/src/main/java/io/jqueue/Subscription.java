package io.jqueue;

import java.time.Duration;

/** A running push consumer of one queue, returned by {@link Broker#subscribe}. Thread-safe. */
public interface Subscription extends AutoCloseable {

  /** The consumer id. */
  String id();

  /** The queue consumed. */
  String queue();

  /** Whether the subscription still takes messages. */
  boolean isActive();

  /**
   * Stops taking messages, lets running handlers finish for up to {@code timeout}, then returns
   * every message it still holds (buffered or unfinished) to the queue for redelivery. The threads
   * it created are stopped. Idempotent.
   */
  void close(Duration timeout);

  /** Closes with a 30 second timeout. */
  @Override
  default void close() {
    close(Duration.ofSeconds(30));
  }
}
