package io.jqueue.middleware;

import io.jqueue.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Remembers which messages were handled, for {@link Deduplication}. The in-memory store of {@link
 * #inMemory} keeps at most {@code maxEntries} keys, each for {@code window}; implement this
 * interface to share the memory between processes (for example in Redis). Thread-safe.
 */
public interface DeduplicationStore {

  /** Whether {@code key} was remembered and has not been forgotten since. */
  boolean contains(String key);

  /** Remembers {@code key}. */
  void add(String key);

  /** A bounded in-memory store: the oldest key goes first when full; keys expire after window. */
  static DeduplicationStore inMemory(int maxEntries, Duration window) {
    return inMemory(maxEntries, window, Instant::now);
  }

  /** {@link #inMemory(int, Duration)} on the clock {@code now} (tests pass a manual clock). */
  static DeduplicationStore inMemory(int maxEntries, Duration window, Supplier<Instant> now) {
    return new Memory(maxEntries, window, now);
  }

  /** The in-memory store: insertion-ordered, so expiry and eviction both take from the front. */
  final class Memory implements DeduplicationStore {
    private final int maxEntries;
    private final Duration window;
    private final Supplier<Instant> now;
    private final LinkedHashMap<String, Instant> expiries = new LinkedHashMap<>();

    private Memory(int maxEntries, Duration window, Supplier<Instant> now) {
      if (maxEntries < 1 || maxEntries > 10_000_000) {
        throw new ValidationException("maxEntries must be 1-10000000, got " + maxEntries);
      }
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(30)) > 0) {
        throw new ValidationException("window must be positive and at most 30 days, got " + window);
      }
      this.maxEntries = maxEntries;
      this.window = window;
      this.now = Objects.requireNonNull(now, "now");
    }

    @Override
    public synchronized boolean contains(String key) {
      Instant t = now.get();
      expire(t);
      Instant until = expiries.get(key);
      return until != null && t.isBefore(until);
    }

    @Override
    public synchronized void add(String key) {
      Instant t = now.get();
      expire(t);
      expiries.remove(key); // re-added at the back with a fresh window
      expiries.put(key, t.plus(window));
      while (expiries.size() > maxEntries) {
        Iterator<String> oldest = expiries.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }

    /** How many keys it holds now. */
    public synchronized int size() {
      expire(now.get());
      return expiries.size();
    }

    private void expire(Instant t) {
      Iterator<Map.Entry<String, Instant>> it = expiries.entrySet().iterator();
      while (it.hasNext() && !t.isBefore(it.next().getValue())) {
        it.remove();
      }
    }

    @Override
    public String toString() {
      return "DeduplicationStore.inMemory{maxEntries=" + maxEntries + ", window=" + window + '}';
    }
  }
}
