package io.jqueue.middleware;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded set of tag values: the first {@code max} distinct values are kept as they are, every
 * later one becomes {@value PublishMetrics#OTHER}, so a destination per user id cannot grow a meter
 * registry without bound. Thread-safe.
 */
final class CappedValues {
  private final int max;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  CappedValues(int max) {
    this.max = max;
  }

  /** {@code value} if it is known or there is room for it, else {@value PublishMetrics#OTHER}. */
  String of(String value) {
    if (seen.contains(value)) {
      return value;
    }
    synchronized (seen) {
      if (seen.size() < max) {
        seen.add(value);
        return value;
      }
    }
    return PublishMetrics.OTHER;
  }
}
