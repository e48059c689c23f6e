package io.jqueue.middleware;

import io.jqueue.ConsumeChain;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.Delivery;
import io.jqueue.Message;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips a message whose key (its id by default) was already handled successfully: the duplicate is
 * acknowledged without running the handler. A key is remembered only once its delivery was acked,
 * so a failed attempt's retry still runs. Brokers deliver at least once (after a lost connection or
 * an expired lease the same message can come again); this makes a handler run once per key within
 * the store's window, as far as the store remembers.
 *
 * <p>Two copies handled at the same moment may both run (nothing is remembered until one is acked);
 * make the handler idempotent where that matters. Pulled deliveries are checked, but the puller
 * settles them later, so nothing is remembered for them.
 */
public final class Deduplication implements ConsumeMiddleware {
  private static final Logger LOG = LoggerFactory.getLogger(Deduplication.class);

  /** Default bound of the in-memory store. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  /** Default window of the in-memory store. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

  private final DeduplicationStore store;
  private final Function<Message, String> key;

  private Deduplication(DeduplicationStore store, Function<Message, String> key) {
    this.store = Objects.requireNonNull(store, "store");
    this.key = Objects.requireNonNull(key, "key");
  }

  /**
   * Deduplicates by message id in memory: at most {@value #DEFAULT_MAX_ENTRIES} ids for one hour.
   */
  public static Deduplication byMessageId() {
    return using(DeduplicationStore.inMemory(DEFAULT_MAX_ENTRIES, DEFAULT_WINDOW));
  }

  /** Deduplicates by message id in {@code store}. */
  public static Deduplication using(DeduplicationStore store) {
    return new Deduplication(store, Message::id);
  }

  /**
   * Deduplicates by {@code key} (for example an idempotency-key header) in {@code store}; a message
   * for which it returns null is never skipped.
   */
  public static Deduplication using(DeduplicationStore store, Function<Message, String> key) {
    return new Deduplication(store, key);
  }

  @Override
  public void handle(Delivery delivery, ConsumeChain chain) throws Exception {
    String k = key.apply(delivery.message());
    if (k != null && store.contains(k)) {
      LOG.debug(
          "message {} in '{}' is a duplicate of one already handled (key {}); acknowledged"
              + " without running the handler",
          delivery.message().id(),
          delivery.queue(),
          k);
      return; // not proceeding: the pipeline acknowledges it
    }
    chain.proceed(delivery);
    if (k != null && delivery.outcome().orElse(null) == Delivery.Outcome.ACKED) {
      store.add(k);
    }
  }

  @Override
  public String name() {
    return "deduplication";
  }

  @Override
  public String toString() {
    return "Deduplication{" + store + '}';
  }
}
