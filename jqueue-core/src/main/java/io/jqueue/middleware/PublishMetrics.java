package io.jqueue.middleware;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.jqueue.ValidationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts and times publishes in Micrometer: counter {@value #PUBLISHED} with tags {@code topic},
 * {@code action} and {@code status} ({@code success} or {@code error}), and timer {@value
 * #DURATION} with tags {@code topic} and {@code action}, the time the rest of the chain took,
 * broker confirm included.
 *
 * <p>Tag values are capped: after {@code maxTagValues} distinct topics (or actions) further ones
 * are counted under {@value #OTHER}, so a topic per user id cannot grow the registry without bound.
 * A message without an action is tagged {@value #NONE}. List it outermost to time what the caller
 * waits for (retries included), innermost to time each broker call.
 */
public final class PublishMetrics implements AsyncPublishMiddleware {
  /** The publish counter. */
  public static final String PUBLISHED = "jqueue.messages.published";

  /** The publish timer. */
  public static final String DURATION = "jqueue.publish.duration";

  /** The tag value that stands for every value over the cap. */
  public static final String OTHER = "_other";

  /** The action tag of a message without an action. */
  public static final String NONE = "none";

  /** Default cap on distinct values of one tag. */
  public static final int DEFAULT_MAX_TAG_VALUES = 100;

  private final MeterRegistry registry;
  private final int maxTagValues;
  private final CappedValues topics;
  private final CappedValues actions;
  private final Map<String, Meters> meters = new ConcurrentHashMap<>();

  private PublishMetrics(MeterRegistry registry, int maxTagValues) {
    this.registry = Objects.requireNonNull(registry, "registry");
    if (maxTagValues < 1) {
      throw new ValidationException("maxTagValues must be at least 1, got " + maxTagValues);
    }
    this.maxTagValues = maxTagValues;
    this.topics = new CappedValues(maxTagValues);
    this.actions = new CappedValues(maxTagValues);
  }

  /** Publish metrics in {@code registry}, at most {@value #DEFAULT_MAX_TAG_VALUES} values a tag. */
  public static PublishMetrics of(MeterRegistry registry) {
    return new PublishMetrics(registry, DEFAULT_MAX_TAG_VALUES);
  }

  /** Publish metrics in {@code registry}, at most {@code maxTagValues} distinct values a tag. */
  public static PublishMetrics of(MeterRegistry registry, int maxTagValues) {
    return new PublishMetrics(registry, maxTagValues);
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    Meters m = metersFor(message);
    long start = System.nanoTime();
    try {
      PublishReceipt receipt = chain.proceed(message);
      m.success.increment();
      return receipt;
    } catch (RuntimeException | Error e) {
      m.error.increment();
      throw e;
    } finally {
      m.duration.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  /** Like {@link #publish}: the timer runs until the broker's answer, on the pipelined path. */
  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain) {
    Meters m = metersFor(message);
    long start = System.nanoTime();
    return chain
        .proceed(message)
        .whenComplete(
            (receipt, error) -> {
              (error == null ? m.success : m.error).increment();
              m.duration.record(
                  System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            });
  }

  private Meters metersFor(Message message) {
    String topic = topics.of(message.topic() == null ? NONE : message.topic());
    String action = actions.of(message.action() == null ? NONE : message.action());
    return meters.computeIfAbsent(topic + '\u0000' + action, k -> new Meters(topic, action));
  }

  @Override
  public String name() {
    return "metrics";
  }

  @Override
  public String toString() {
    return "PublishMetrics{maxTagValues=" + maxTagValues + '}';
  }

  private final class Meters {
    final Counter success;
    final Counter error;
    final Timer duration;

    Meters(String topic, String action) {
      success = counter(topic, action, "success");
      error = counter(topic, action, "error");
      duration =
          Timer.builder(DURATION)
              .description("Time to publish a message, broker confirm included")
              .tags("topic", topic, "action", action)
              .register(registry);
    }

    private Counter counter(String topic, String action, String status) {
      return Counter.builder(PUBLISHED)
          .description("Messages published, by outcome")
          .tags("topic", topic, "action", action, "status", status)
          .register(registry);
    }
  }
}
