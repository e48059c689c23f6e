package io.jqueue.embedded;

import io.jqueue.Broker;
import io.jqueue.BrokerCapabilities;
import io.jqueue.BrokerClosedException;
import io.jqueue.Capability;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetters;
import io.jqueue.Delivery;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.Message;
import io.jqueue.MessageHandler;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import io.jqueue.Subscription;
import io.jqueue.TopologyConflictException;
import io.jqueue.ValidationException;
import io.jqueue.codec.Codec;
import io.jqueue.internal.Checks;
import io.jqueue.internal.CloseOnce;
import io.jqueue.internal.PublisherRegistry;
import io.jqueue.internal.Saturating;
import io.jqueue.internal.StatsReporter;
import io.jqueue.metrics.BrokerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-process broker: every rule of SPEC §4 in memory, with no server to run. Thread-safe.
 *
 * <pre>{@code
 * try (Broker broker = EmbeddedBroker.create()) {
 *   broker.declareQueue(QueueSpec.builder("orders").maxRetries(3).build());
 *   broker.subscribe("orders", d -> process(d.data(Order.class)));
 *   broker.publisher().publish(Message.builder().topic("orders").data(order).build());
 * }
 * }</pre>
 */
public final class EmbeddedBroker implements Broker {
  private static final BrokerCapabilities CAPABILITIES =
      BrokerCapabilities.of(
          "embedded",
          Capability.PRIORITY_QUEUES,
          Capability.ORDERED_QUEUES,
          Capability.ORDERED_PULL,
          Capability.OVERFLOW_BLOCK,
          Capability.BOUNDED_DEAD_LETTER_QUEUES,
          Capability.LATENCY_STATS,
          Capability.MESSAGE_TTL,
          Capability.OLDEST_MESSAGE_AGE);

  private final EmbeddedConfig config;
  private final TimeSource time;
  private final SystemTimeSource ownTime;
  private final Object topologyLock = new Object();
  private final Map<String, QueueSpec> specs = new LinkedHashMap<>(); // guarded by topologyLock
  private final Map<String, EmbeddedQueue> byName = new ConcurrentHashMap<>();
  private final PublisherRegistry publishers = new PublisherRegistry("embedded broker");
  private final Set<LocalConsumer> consumers = ConcurrentHashMap.newKeySet();
  private final CloseOnce closing = new CloseOnce();
  private final List<Periodic> periodics = new ArrayList<>();
  private final BrokerMetrics metrics; // null without a registry

  private EmbeddedBroker(EmbeddedConfig config) {
    this.config = config;
    this.ownTime = config.timeSource().isPresent() ? null : new SystemTimeSource(config.name());
    this.time = config.timeSource().orElse(ownTime);
    every(config.expirySweepInterval(), () -> byName.values().forEach(EmbeddedQueue::sweepExpired));
    if (!config.statsReportInterval().isZero()) {
      every(config.statsReportInterval(), () -> StatsReporter.report(this));
    }
    this.metrics = config.meterRegistry().isPresent() ? new BrokerMetrics(this) : null;
    config.meterRegistry().ifPresent(registry -> this.metrics.bindTo(registry));
  }

  /** Aligns the exported meters with the current queues and consumers. */
  private void refreshMetrics() {
    if (metrics != null) {
      metrics.refresh();
    }
  }

  /** A broker with the default configuration. */
  public static EmbeddedBroker create() {
    return create(EmbeddedConfig.defaults());
  }

  /** A broker with {@code config}. */
  public static EmbeddedBroker create(EmbeddedConfig config) {
    return new EmbeddedBroker(Objects.requireNonNull(config, "config"));
  }

  private void every(Duration period, Runnable task) {
    Periodic periodic = new Periodic(period, task);
    periodics.add(periodic);
    periodic.schedule();
  }

  /** A task that reschedules itself every period until the broker closes. */
  private final class Periodic implements Runnable {
    private final Duration period;
    private final Runnable task;
    private TimeSource.Cancellable next;

    Periodic(Duration period, Runnable task) {
      this.period = period;
      this.task = task;
    }

    synchronized void schedule() {
      if (!closing.isClosed()) {
        next = time.schedule(period, this);
      }
    }

    synchronized void cancel() {
      if (next != null) {
        next.cancel();
      }
    }

    @Override
    public void run() {
      if (closing.isClosed()) {
        return;
      }
      try {
        task.run();
      } finally {
        schedule();
      }
    }
  }

  @Override
  public void declareQueue(QueueSpec spec) {
    Objects.requireNonNull(spec, "spec");
    synchronized (topologyLock) {
      checkOpen();
      QueueSpec existing = specs.get(spec.name());
      if (existing != null) {
        if (existing.equals(spec)) {
          return;
        }
        throw new TopologyConflictException(
            spec.name(),
            "queue '"
                + spec.name()
                + "' already exists with a different spec ("
                + String.join("; ", existing.differences(spec))
                + "); jqueue never changes a queue silently: delete it first or use another name");
      }
      EmbeddedQueue dlq =
          new EmbeddedQueue(
              QueueSettings.deadLetterQueueOf(spec), null, time, new MemoryMessageStore());
      EmbeddedQueue queue =
          new EmbeddedQueue(QueueSettings.of(spec), dlq, time, new MemoryMessageStore());
      specs.put(spec.name(), spec);
      byName.put(dlq.name(), dlq);
      byName.put(queue.name(), queue);
    }
    refreshMetrics();
  }

  @Override
  public boolean deleteQueue(String name) {
    Objects.requireNonNull(name, "name");
    EmbeddedQueue queue;
    synchronized (topologyLock) {
      checkOpen();
      if (specs.remove(name) == null) {
        return false;
      }
      queue = byName.remove(name);
      byName.remove(queue.deadLetters.name());
    }
    Set<LocalConsumer> affected = new LinkedHashSet<>();
    for (LocalConsumer c : consumers) {
      if (c.queue().equals(name) || c.queue().equals(queue.deadLetters.name())) {
        affected.add(c);
      }
    }
    affected.forEach(LocalConsumer::stopIntake);
    affected.addAll(queue.close(new DestinationNotFoundException(name), true));
    affected.addAll(
        queue.deadLetters.close(new DestinationNotFoundException(queue.deadLetters.name()), true));
    Instant now = Instant.now();
    affected.forEach(
        c -> {
          c.stopIntake();
          c.finish(now);
        });
    refreshMetrics();
    return true;
  }

  @Override
  public Set<String> queues() {
    synchronized (topologyLock) {
      return new LinkedHashSet<>(specs.keySet());
    }
  }

  @Override
  public Publisher publisher() {
    checkOpen();
    return publishers.shared(this::send);
  }

  @Override
  public Publisher publisher(PublisherOptions options) {
    Objects.requireNonNull(options, "options");
    checkOpen();
    return publishers.open(options, this::send);
  }

  private PublishReceipt send(Message message, Instant deadline) {
    checkOpen();
    EmbeddedQueue queue = lookup(message.topic());
    if (queue.settings.isDeadLetterQueue()) {
      throw new ValidationException(
          "'"
              + queue.name()
              + "' is a dead-letter queue: jqueue moves failed messages there itself; publish to"
              + " its parent queue instead");
    }
    return queue.publish(message, deadline);
  }

  @Override
  public Subscription subscribe(String queueName, ConsumerOptions options, MessageHandler handler) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(handler, "handler");
    checkOpen();
    EmbeddedQueue queue = lookup(queueName);
    Checks.uniqueConsumerId(consumers, queueName, options.id());
    LocalConsumer[] self = new LocalConsumer[1];
    self[0] =
        new LocalConsumer(
            queue,
            options,
            handler,
            () -> {
              consumers.remove(self[0]);
              refreshMetrics();
            });
    consumers.add(self[0]);
    try {
      self[0].start();
      checkOpen(); // the broker may have closed after its consumer snapshot: do not leak this one
    } catch (RuntimeException e) { // queue deleted or broker closed meanwhile
      self[0].stopIntake();
      self[0].finish(Instant.now());
      throw e;
    }
    refreshMetrics();
    return self[0];
  }

  @Override
  public List<Delivery> receive(String queueName, int max, Duration wait) {
    Checks.receiveArguments(max, wait);
    checkOpen();
    EmbeddedQueue queue = lookup(queueName);
    List<Delivery> out = new ArrayList<>();
    for (Lease lease : queue.receive(max, wait)) {
      out.add(new EmbeddedDelivery(queue, lease, Codec.json(), "pull"));
    }
    return out;
  }

  @Override
  public DeadLetters deadLetters(String queueName) {
    checkOpen();
    EmbeddedQueue queue = lookup(queueName);
    if (queue.settings.isDeadLetterQueue()) {
      throw new ValidationException(
          "'" + queueName + "' is itself a dead-letter queue; ask for its parent's dead letters");
    }
    return new DeadLetterQueueView(queue);
  }

  @Override
  public QueueStats stats(String queueName) {
    checkOpen();
    return lookup(queueName).stats();
  }

  @Override
  public BrokerCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public void close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    closing.close(() -> closeNow(Saturating.deadlineAfter(timeout)));
  }

  private void closeNow(Instant deadline) {
    periodics.forEach(Periodic::cancel);
    BrokerClosedException error = new BrokerClosedException("the embedded broker is closed");
    // Intake stops first, so waiting publishers and new messages do not eat the handlers' time.
    byName.values().forEach(q -> q.refuseIntake(error));
    List<LocalConsumer> all = List.copyOf(consumers);
    all.forEach(LocalConsumer::stopIntake);
    publishers.closeAll(Duration.ZERO);
    all.forEach(c -> c.finish(deadline));
    // Parents before their dead-letter queues, so a last dead letter always finds its DLQ open.
    List<EmbeddedQueue> parents;
    synchronized (topologyLock) {
      parents = specs.keySet().stream().map(byName::get).toList();
    }
    for (EmbeddedQueue q : parents) {
      q.close(error, false).forEach(c -> c.finish(Instant.now()));
      q.deadLetters.close(error, false).forEach(c -> c.finish(Instant.now()));
    }
    if (metrics != null) {
      metrics.close();
    }
    if (ownTime != null) {
      ownTime.close();
    }
  }

  private EmbeddedQueue lookup(String name) {
    EmbeddedQueue queue = name == null ? null : byName.get(name);
    if (queue == null) {
      throw new DestinationNotFoundException(name);
    }
    return queue;
  }

  private void checkOpen() {
    if (closing.isClosed()) {
      throw new BrokerClosedException("the embedded broker '" + config.name() + "' is closed");
    }
  }

  @Override
  public String toString() {
    return "EmbeddedBroker{" + config.name() + (closing.isClosed() ? ", closed" : "") + '}';
  }
}
