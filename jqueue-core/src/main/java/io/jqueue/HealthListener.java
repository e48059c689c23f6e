package io.jqueue;

/**
 * Told when a broker's {@link Health} changes (see {@link Broker#onHealthChange}). Called on a
 * jqueue thread, one change at a time in the order they happened; an exception it throws is logged
 * and changes nothing else. Keep it short: a slow listener delays the next change's news.
 */
@FunctionalInterface
public interface HealthListener {

  /** The health went from {@code previous} to {@code current}. */
  void onChange(Health previous, Health current);

  /** A registered listener; {@link #close()} removes it. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    /** Stops calls to the listener (a call under way may still finish). Idempotent. */
    @Override
    void close();
  }
}
