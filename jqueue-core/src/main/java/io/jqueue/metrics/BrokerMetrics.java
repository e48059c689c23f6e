package io.jqueue.metrics;

import io.jqueue.Broker;
import io.jqueue.JQueueException;
import io.jqueue.QueueStats;
import io.jqueue.SubscriberStats;
import io.jqueue.internal.Consumables;
import io.jqueue.internal.Saturating;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Exports every figure of {@link Broker#stats} as Micrometer meters tagged {@code queue} (and
 * {@code consumer} for per-consumer counters), for any broker. Thread-safe.
 *
 * <p>Meters read a snapshot of the queue's statistics that is at most {@code maxAge} old, so a
 * scrape costs one {@code stats} call per queue. {@link #refresh()} adds meters for queues and
 * consumers that appeared since, and removes those of deleted queues and closed consumers; brokers
 * that know when their topology changes call it themselves (the embedded broker does when given a
 * registry).
 *
 * <pre>{@code
 * BrokerMetrics metrics = new BrokerMetrics(broker);
 * metrics.bindTo(registry);
 * }</pre>
 */
public final class BrokerMetrics implements MeterBinder, AutoCloseable {
  private final Broker broker;
  private final long maxAgeNanos;
  private final Map<String, Snapshot> snapshots = new HashMap<>();
  private final Map<String, List<Meter>> queueMeters = new HashMap<>();
  private final Map<String, List<Meter>> consumerMeters = new HashMap<>();
  private MeterRegistry registry;

  /** Exports {@code broker}'s statistics, read at most once a second per queue. */
  public BrokerMetrics(Broker broker) {
    this(broker, Duration.ofSeconds(1));
  }

  /** Exports {@code broker}'s statistics, read at most once per {@code maxAge} per queue. */
  public BrokerMetrics(Broker broker, Duration maxAge) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.maxAgeNanos = Saturating.toNanos(maxAge);
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (this.registry != null && this.registry != registry) {
      throw new IllegalStateException("BrokerMetrics is already bound to another registry");
    }
    this.registry = Objects.requireNonNull(registry, "registry");
    refresh();
  }

  /** Brings the meters in line with the broker's current queues and consumers. */
  public synchronized void refresh() {
    if (registry == null) {
      return;
    }
    Set<String> queues;
    try {
      queues = Consumables.of(broker);
    } catch (JQueueException e) {
      return; // closed
    }
    for (String gone : new ArrayList<>(queueMeters.keySet())) {
      if (!queues.contains(gone)) {
        removeQueue(gone);
      }
    }
    for (String queue : queues) {
      Snapshot snapshot = snapshots.computeIfAbsent(queue, Snapshot::new);
      queueMeters.computeIfAbsent(queue, q -> registerQueue(q, snapshot));
      refreshConsumers(queue, snapshot);
    }
  }

  /** Removes every meter this binder registered. */
  @Override
  public synchronized void close() {
    new ArrayList<>(queueMeters.keySet()).forEach(this::removeQueue);
  }

  private List<Meter> registerQueue(String queue, Snapshot s) {
    Tags tags = Tags.of("queue", queue);
    List<Meter> m = new ArrayList<>();
    m.add(gauge("jqueue.queue.depth", "messages ready for delivery", tags, s, QueueStats::ready));
    m.add(gauge("jqueue.queue.in.flight", "messages leased", tags, s, QueueStats::inFlight));
    m.add(gauge("jqueue.queue.delayed", "messages waiting to retry", tags, s, QueueStats::delayed));
    m.add(gauge("jqueue.queue.dlq.depth", "dead letters", tags, s, QueueStats::dlqDepth));
    m.add(counter("jqueue.queue.published", "messages accepted", tags, s, QueueStats::published));
    m.add(counter("jqueue.queue.acked", "messages acknowledged", tags, s, QueueStats::acked));
    m.add(counter("jqueue.queue.failed", "failed attempts", tags, s, QueueStats::failed));
    m.add(counter("jqueue.queue.retried", "attempts retried", tags, s, QueueStats::retried));
    m.add(
        counter(
            "jqueue.queue.dead.lettered",
            "messages dead-lettered",
            tags,
            s,
            QueueStats::deadLettered));
    m.add(counter("jqueue.queue.expired", "messages expired", tags, s, QueueStats::expired));
    m.add(counter("jqueue.queue.dropped", "messages dropped", tags, s, QueueStats::dropped));
    m.add(
        counter(
            "jqueue.queue.filtered",
            "skipped by a subscription filter",
            tags,
            s,
            QueueStats::filtered));
    m.add(time("jqueue.queue.oldest.age", tags, s, st -> st.oldestMessageAge()));
    m.add(time("jqueue.queue.latency", tags.and("quantile", "0.5"), s, st -> st.latency().p50()));
    m.add(time("jqueue.queue.latency", tags.and("quantile", "0.95"), s, st -> st.latency().p95()));
    m.add(time("jqueue.queue.latency", tags.and("quantile", "0.99"), s, st -> st.latency().p99()));
    m.add(time("jqueue.queue.latency.max", tags, s, st -> st.latency().max()));
    m.removeIf(Objects::isNull);
    return m;
  }

  private void refreshConsumers(String queue, Snapshot snapshot) {
    QueueStats stats;
    try {
      stats = broker.stats(queue); // not the scrape cache: consumers may have just changed
    } catch (JQueueException e) {
      stats = null;
    }
    Set<String> live = new HashSet<>();
    if (stats != null) {
      for (SubscriberStats sub : stats.subscribers()) {
        String key = queue + '\u0000' + sub.id();
        live.add(key);
        consumerMeters.computeIfAbsent(key, k -> registerConsumer(queue, sub.id(), snapshot));
      }
    }
    String prefix = queue + '\u0000';
    for (String key : new ArrayList<>(consumerMeters.keySet())) {
      if (key.startsWith(prefix) && !live.contains(key)) {
        consumerMeters.remove(key).forEach(registry::remove);
      }
    }
  }

  private List<Meter> registerConsumer(String queue, String consumer, Snapshot s) {
    Tags tags = Tags.of("queue", queue, "consumer", consumer);
    List<Meter> m = new ArrayList<>();
    m.add(
        counter(
            "jqueue.consumer.processed",
            "deliveries handled",
            tags,
            s,
            st -> subscriber(st, consumer, SubscriberStats::processed)));
    m.add(
        counter(
            "jqueue.consumer.errors",
            "deliveries failed",
            tags,
            s,
            st -> subscriber(st, consumer, SubscriberStats::errors)));
    m.removeIf(Objects::isNull);
    return m;
  }

  /**
   * Whether another binder (the broker's own, say) registered this meter already: then it is theirs
   * to remove, and this binder neither takes it over nor removes it at close.
   */
  private boolean taken(String name, Tags tags) {
    return registry.find(name).tags(tags).meter() != null;
  }

  private static long subscriber(
      QueueStats stats, String id, Function<SubscriberStats, Long> figure) {
    for (SubscriberStats s : stats.subscribers()) {
      if (s.id().equals(id)) {
        return figure.apply(s);
      }
    }
    return 0;
  }

  private void removeQueue(String queue) {
    List<Meter> meters = queueMeters.remove(queue);
    if (meters != null) {
      meters.forEach(registry::remove);
    }
    snapshots.remove(queue);
    String prefix = queue + '\u0000';
    for (String key : new ArrayList<>(consumerMeters.keySet())) {
      if (key.startsWith(prefix)) {
        consumerMeters.remove(key).forEach(registry::remove);
      }
    }
  }

  private Meter gauge(
      String name, String help, Tags tags, Snapshot s, ToDoubleFunction<QueueStats> f) {
    if (taken(name, tags)) {
      return null;
    }
    return Gauge.builder(name, s, snap -> snap.read(f))
        .description(help)
        .baseUnit("messages")
        .tags(tags)
        .register(registry);
  }

  private Meter counter(
      String name, String help, Tags tags, Snapshot s, ToDoubleFunction<QueueStats> f) {
    if (taken(name, tags)) {
      return null;
    }
    return FunctionCounter.builder(name, s, snap -> snap.read(f))
        .description(help)
        .tags(tags)
        .register(registry);
  }

  private Meter time(String name, Tags tags, Snapshot s, Function<QueueStats, Duration> f) {
    if (taken(name, tags)) {
      return null;
    }
    return TimeGauge.builder(
            name, s, TimeUnit.NANOSECONDS, snap -> snap.read(st -> Saturating.toNanos(f.apply(st))))
        .tags(tags)
        .register(registry);
  }

  /** One queue's statistics, re-read when older than {@code maxAge}. */
  private final class Snapshot {
    private final String queue;
    private QueueStats stats;
    private long readAt;

    Snapshot(String queue) {
      this.queue = queue;
    }

    synchronized QueueStats fresh() {
      long now = System.nanoTime();
      if (stats == null || now - readAt >= maxAgeNanos) {
        try {
          stats = broker.stats(queue);
          readAt = now;
        } catch (JQueueException e) {
          return stats; // deleted or closed: keep the last figures until refresh removes us
        }
      }
      return stats;
    }

    double read(ToDoubleFunction<QueueStats> f) {
      QueueStats s = fresh();
      return s == null ? Double.NaN : f.applyAsDouble(s);
    }
  }
}
