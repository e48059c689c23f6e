package io.jqueue.embedded;

import io.jqueue.BrokerCapabilities;
import io.jqueue.BrokerClosedException;
import io.jqueue.Capability;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetters;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.Health;
import io.jqueue.Message;
import io.jqueue.MessageHandler;
import io.jqueue.PublishReceipt;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import io.jqueue.ValidationException;
import io.jqueue.codec.Codec;
import io.jqueue.internal.StatsReporter;
import io.jqueue.spi.AbstractBroker;
import io.jqueue.spi.InternalDelivery;
import io.jqueue.time.SystemTimeSource;
import io.jqueue.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
public final class EmbeddedBroker extends AbstractBroker<EmbeddedQueue, EmbeddedSubscription> {
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
          Capability.OLDEST_MESSAGE_AGE,
          Capability.TOPICS,
          Capability.REPLAY);

  private final TimeSource time;
  private final SystemTimeSource ownTime;
  private final List<Periodic> periodics = new ArrayList<>();
  private final EmbeddedTopics topics;

  private EmbeddedBroker(EmbeddedConfig config) {
    super("embedded broker '" + config.name() + "'");
    this.ownTime = config.timeSource().isPresent() ? null : new SystemTimeSource(config.name());
    this.time = config.timeSource().orElse(ownTime);
    this.topics = new EmbeddedTopics(time);
    every(
        config.expirySweepInterval(),
        () -> runtimes().forEach(q -> q.deadLettering.sweepExpired()));
    if (!config.statsReportInterval().isZero()) {
      every(config.statsReportInterval(), () -> StatsReporter.report(this));
    }
    exportMetrics(config.meterRegistry());
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
      if (!isClosed()) {
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
      if (isClosed()) {
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
  protected Map<String, EmbeddedQueue> createQueue(QueueSpec spec) {
    EmbeddedQueue dlq =
        new EmbeddedQueue(
            QueueSettings.deadLetterQueueOf(spec), null, time, new MemoryMessageStore());
    EmbeddedQueue queue =
        new EmbeddedQueue(QueueSettings.of(spec), dlq, time, new MemoryMessageStore());
    return Map.of(queue.name(), queue, dlq.name(), dlq);
  }

  @Override
  protected boolean deleteQueue(
      String name,
      EmbeddedQueue queue,
      EmbeddedQueue deadLetters,
      List<EmbeddedSubscription> affected) {
    if (queue == null) {
      return false;
    }
    Set<EmbeddedSubscription> stopping = new LinkedHashSet<>(affected);
    stopping.forEach(EmbeddedSubscription::stopIntake);
    queue.close(new DestinationNotFoundException(name), true);
    deadLetters.close(new DestinationNotFoundException(deadLetters.name()), true);
    // one that started after the snapshot but before the queues closed is stopped too
    stopping.addAll(subscriptionsOf(name));
    stopping.addAll(subscriptionsOf(deadLetters.name()));
    Instant now = Instant.now();
    stopping.forEach(
        c -> {
          c.stopIntake();
          c.finish(now);
        });
    return true;
  }

  @Override
  protected PublishReceipt send(Message message, Instant deadline, String publisherId) {
    checkOpen();
    if (topics.isTopic(message.topic())) {
      return topics.publish(message, deadline);
    }
    EmbeddedQueue queue = lookup(message.topic());
    if (queue.settings.isDeadLetterQueue()) {
      throw new ValidationException(
          "'"
              + queue.name()
              + "' is a dead-letter queue: jqueue moves failed messages there itself; publish to"
              + " its parent queue instead");
    }
    return queue.intake.publish(message, deadline);
  }

  @Override
  protected EmbeddedTopics topicRuntime() {
    return topics;
  }

  @Override
  protected EmbeddedSubscription newSubscription(
      EmbeddedQueue queue, ConsumerOptions options, MessageHandler handler, Runnable onClosed) {
    return new EmbeddedSubscription(queue, options, handler, onClosed);
  }

  @Override
  protected List<InternalDelivery> pull(
      EmbeddedQueue queue, int max, Duration wait, Codec codec, String consumerId) {
    List<InternalDelivery> out = new ArrayList<>();
    for (Lease lease : queue.pulls.receive(max, wait)) {
      out.add(new EmbeddedDelivery(queue, lease, codec, consumerId));
    }
    return out;
  }

  @Override
  protected boolean isDeadLetterQueue(EmbeddedQueue queue) {
    return queue.settings.isDeadLetterQueue();
  }

  @Override
  protected DeadLetters deadLettersOf(EmbeddedQueue queue) {
    return new DeadLetterQueueView(queue);
  }

  @Override
  protected QueueStats statsOf(EmbeddedQueue queue) {
    return queue.stats(
        subscriptionsOf(queue.name()).stream().map(EmbeddedSubscription::stats).toList());
  }

  /** The queue named {@code name}, for tests that drive it directly. */
  EmbeddedQueue queue(String name) {
    return lookup(name);
  }

  @Override
  public BrokerCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  protected TimeSource timeSource() {
    return time;
  }

  /** Always UP while open: there is no connection to lose and nothing that blocks publishing. */
  @Override
  protected Health openHealth() {
    return Health.up();
  }

  @Override
  protected void closeNow(Instant deadline) {
    periodics.forEach(Periodic::cancel);
    BrokerClosedException error = new BrokerClosedException("the embedded broker is closed");
    // Intake stops first, so waiting publishers and new messages do not eat the handlers' time.
    runtimes().forEach(q -> q.intake.refuseIntake(error));
    List<EmbeddedSubscription> all = subscriptions();
    all.forEach(EmbeddedSubscription::stopIntake);
    closePublishers();
    all.forEach(c -> c.finish(deadline));
    // Parents before their dead-letter queues, so a last dead letter always finds its DLQ open.
    for (EmbeddedQueue q : parentRuntimes()) {
      q.close(error, false);
      q.deadLetters.close(error, false);
    }
    if (ownTime != null) {
      ownTime.close();
    }
  }
}
