package io.jqueue.testkit;

import io.jqueue.Delivery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/** Records every delivery a handler saw, for assertions; thread-safe. */
public final class Recorder {

  /** One handled delivery. */
  public record Seen(
      String text,
      String messageId,
      int attempt,
      String consumerId,
      String thread,
      Instant at,
      Delivery delivery) {}

  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();

  /** Records {@code d}. */
  public void record(Delivery d) {
    seen.add(
        new Seen(
            d.text(),
            d.message().id(),
            d.attempt(),
            d.consumerId(),
            Thread.currentThread().getName(),
            Instant.now(),
            d));
  }

  /** Everything recorded, in order. */
  public List<Seen> all() {
    return List.copyOf(seen);
  }

  /** How many deliveries were recorded. */
  public int count() {
    return seen.size();
  }

  /** The texts recorded, in order. */
  public List<String> texts() {
    return seen.stream().map(Seen::text).toList();
  }

  /** How many times each text was delivered. */
  public Map<String, Long> countsByText() {
    return seen.stream().collect(Collectors.groupingBy(Seen::text, Collectors.counting()));
  }

  /** The deliveries of one text. */
  public List<Seen> of(String text) {
    return seen.stream().filter(s -> s.text().equals(text)).toList();
  }
}
