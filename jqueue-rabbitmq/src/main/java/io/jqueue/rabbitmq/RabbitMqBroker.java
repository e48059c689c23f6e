package io.jqueue.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.jqueue.Broker;
import io.jqueue.BrokerCapabilities;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.Capability;
import io.jqueue.ConfigurationException;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetters;
import io.jqueue.Health;
import io.jqueue.Message;
import io.jqueue.MessageHandler;
import io.jqueue.PublishReceipt;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import io.jqueue.ValidationException;
import io.jqueue.codec.Codec;
import io.jqueue.internal.NamedThreadFactory;
import io.jqueue.internal.Saturating;
import io.jqueue.internal.StatsReporter;
import io.jqueue.spi.AbstractBroker;
import io.jqueue.spi.InternalDelivery;
import io.jqueue.spi.RequestReply;
import io.jqueue.time.SystemTimeSource;
import io.jqueue.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jqueue on RabbitMQ: the same {@link Broker} contract as the embedded broker, mapped onto
 * RabbitMQ's own features (see docs/rabbitmq.md). Thread-safe.
 *
 * <pre>{@code
 * try (Broker broker = RabbitMqBroker.connect(RabbitMqConfig.of("amqp://guest:guest@localhost"))) {
 *   broker.declareQueue(QueueSpec.builder("orders").maxRetries(3).build());
 *   ...
 * }
 * }</pre>
 *
 * <p>It holds two connections, one for publishing and one for consuming (so that RabbitMQ's flow
 * control on publishers never slows acks), both recovering automatically after a connection loss.
 * Queues must be declared in each process that uses them; declaring is idempotent.
 */
public final class RabbitMqBroker extends AbstractBroker<QueueRuntime, RabbitSubscription> {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitMqBroker.class);

  private final RabbitMqConfig config;
  private final Connection publishConnection;
  private final Connection consumeConnection;
  private final ChannelPool pool;
  private final Admin admin;
  private final Sender sender;
  private final PipelinedSender pipelined;
  private final Routing routing;
  private final ConnectionState publishState;
  private final Moves moves;
  private final TimeSource clock; // what this client decides: leases, backoff, expiry, timestamps
  private final SystemTimeSource ownClock; // null when the config supplied the clock
  // real time whatever the clock: it paces what waits on RabbitMQ, which no clock may hold up
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService work; // moves and lease-expiry republishes, off timer and clock
  private final PullReceiver pull;
  private final RabbitTopics topics;
  private final Map<String, List<Mover>> movers = new ConcurrentHashMap<>();
  private final BrokerCapabilities capabilities;
  private final StatsReporter reporter;

  private RabbitMqBroker(RabbitMqConfig config, Connection publish, Connection consume) {
    super("RabbitMQ broker at " + config.endpoint());
    this.config = config;
    this.publishConnection = publish;
    this.consumeConnection = consume;
    this.pool = new ChannelPool(publish, config.channelPoolSize(), config.maxOutstandingConfirms());
    this.admin = new Admin(consume); // a blocked publishing connection must not stall declares
    this.publishState = new ConnectionState(publish);
    this.sender = new Sender(pool, publishState, config);
    this.pipelined = new PipelinedSender(sender, config.endpoint());
    this.ownClock = config.timeSource().isPresent() ? null : new SystemTimeSource("rabbitmq-clock");
    this.clock = config.timeSource().orElse(ownClock);
    this.moves = new Moves(sender, admin, config, clock);
    this.timer =
        new ScheduledThreadPoolExecutor(2, new NamedThreadFactory("jqueue-rabbitmq-timer"));
    this.timer.setRemoveOnCancelPolicy(true);
    this.work = Executors.newFixedThreadPool(4, new NamedThreadFactory("jqueue-rabbitmq-work"));
    this.pull = new PullReceiver(consume, moves, clock, timer, work);
    this.topics = new RabbitTopics(admin, consume, sender, clock);
    this.routing = new Routing(config, topics, this::find, clock);
    this.capabilities = Topology.capabilities(config.queueType());
    this.reporter =
        config.statsReportInterval().isZero()
            ? null
            : StatsReporter.start(this, config.statsReportInterval(), timer);
    exportMetrics(config.meterRegistry());
    // last: its listeners read what the ones added before them (publishState's) have set
    ConnectionHealth.watch(publish, this::healthChanged);
    ConnectionHealth.watch(consume, this::healthChanged);
  }

  /**
   * Connects to RabbitMQ; the connections recover by themselves after losses.
   *
   * @throws BrokerUnavailableException when RabbitMQ cannot be reached
   * @throws ConfigurationException when the configuration cannot work (bad URI, TLS setup)
   */
  public static RabbitMqBroker connect(RabbitMqConfig config) {
    Objects.requireNonNull(config, "config");
    ConnectionFactory factory = RabbitConnections.factory(config);
    Connection publish = null;
    Connection consume = null;
    RabbitMqBroker broker = null;
    try {
      publish = factory.newConnection(config.connectionName() + "-publish");
      consume = factory.newConnection(config.connectionName() + "-consume");
      broker = new RabbitMqBroker(config, publish, consume);
      if (!config.exchange().isEmpty()) {
        broker.admin.declareExchange(config.exchange());
      }
      if (!config.mandatory()) {
        LOG.warn(
            "mandatory=false: RabbitMQ silently drops messages it cannot route; jqueue cannot"
                + " report them");
      }
      return broker;
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close(Duration.ZERO);
      } else {
        RabbitConnections.closeQuietly(consume);
        RabbitConnections.closeQuietly(publish);
      }
      throw e;
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      RabbitConnections.closeQuietly(consume);
      RabbitConnections.closeQuietly(publish);
      throw ConnectFailure.of(config.endpoint(), e);
    }
  }

  @Override
  protected Map<String, String> defaultHeaders() {
    return config.defaultHeaders();
  }

  @Override
  protected void checkSpec(QueueSpec spec) {
    Topology.check(spec, config);
  }

  @Override
  protected Map<String, QueueRuntime> createQueue(QueueSpec spec) {
    QueueRuntime rt = QueueRuntime.of(spec, config);
    List<Mover> started = new ArrayList<>();
    try {
      for (String physical : rt.physicalQueues()) {
        admin.declare(physical, Topology.mainArguments(spec, config, rt.partitions));
        if (!config.exchange().isEmpty()) {
          admin.bind(physical, config.exchange(), physical);
        }
      }
      admin.declare(Topology.deadLetterQueue(spec.name()), Topology.plainArguments(config));
      admin.declare(Topology.expiredQueue(spec.name()), Topology.plainArguments(config));
      if (!rt.ordered()) {
        admin.declare(Topology.retryQueue(spec.name()), Topology.plainArguments(config));
      }
      started.add(mover(rt, Mover.Kind.EXPIRY));
      if (!rt.ordered()) {
        started.add(mover(rt, Mover.Kind.RETRY));
      }
    } catch (RuntimeException e) {
      started.forEach(Mover::close); // a half-declared queue leaves no consumer behind
      throw e;
    }
    QueueRuntime dlq = QueueRuntime.deadLetterQueueOf(spec);
    movers.put(spec.name(), started);
    return Map.of(rt.name, rt, dlq.name, dlq);
  }

  private Mover mover(QueueRuntime rt, Mover.Kind kind) {
    return new Mover(consumeConnection, rt, kind, moves, admin, config, work, timer);
  }

  @Override
  protected boolean deleteQueue(
      String name, QueueRuntime rt, QueueRuntime deadLetters, List<RabbitSubscription> affected) {
    String dlqName = Topology.deadLetterQueue(name);
    Instant now = Instant.now(); // real time: how long handlers get, not a lease
    for (RabbitSubscription s : affected) {
      s.stopIntake();
      s.finish(now);
    }
    List<Mover> stopped = movers.remove(name);
    if (stopped != null) {
      stopped.forEach(Mover::close);
    }
    boolean existed = rt != null || admin.exists(name);
    if (!existed) {
      return false;
    }
    Set<String> doomed = new LinkedHashSet<>();
    if (rt != null) {
      doomed.addAll(rt.physicalQueues());
      rt.delayBuckets.forEach(ms -> doomed.add(Topology.delayQueue(name, ms)));
    } else {
      doomed.add(name);
    }
    doomed.add(dlqName);
    doomed.add(Topology.retryQueue(name));
    doomed.add(Topology.expiredQueue(name));
    for (String q : doomed) {
      admin.delete(q);
    }
    return true;
  }

  @Override
  protected PublishReceipt send(Message message, Instant deadline, String publisherId) {
    return send(message, deadline, publisherId, sender);
  }

  /** Writes the message and returns at once; the receipt comes with RabbitMQ's confirm. */
  @Override
  protected CompletableFuture<PublishReceipt> sendAsync(
      Message message, Instant deadline, String publisherId) {
    checkOpen();
    AmqpPublish p = routing.route(message, publisherId);
    return pipelined.send(p, deadline).thenApply(confirmed -> routing.accepted(message, p));
  }

  /** Publishes as every publish does, through {@code via} (a requester's own channel, for one). */
  private PublishReceipt send(Message message, Instant deadline, String publisherId, Sender via) {
    checkOpen();
    AmqpPublish p = routing.route(message, publisherId);
    via.send(p, deadline);
    return routing.accepted(message, p);
  }

  @Override
  protected RabbitTopics topicRuntime() {
    return topics;
  }

  @Override
  protected TimeSource timeSource() {
    return clock;
  }

  @Override
  protected RequestReply requestReply() {
    return new DirectReplyTo(publishConnection, publishState, config, sender, clock, this::send);
  }

  @Override
  protected RabbitSubscription newSubscription(
      QueueRuntime rt, ConsumerOptions options, MessageHandler handler, Runnable onClosed) {
    return new RabbitSubscription(
        consumeConnection,
        rt,
        topics.withFilter(rt.name, options),
        handler,
        moves,
        clock,
        timer,
        work,
        onClosed);
  }

  @Override
  protected List<InternalDelivery> pull(
      QueueRuntime rt, int max, Duration wait, Codec codec, String consumerId) {
    String queue = rt.name;
    if (rt.ordered()) {
      // basic.get on a partition bypasses its single active consumer: another process could get
      // the key's next message while this one holds the previous, so order would not hold
      throw new ValidationException(
          "receive from ordered queue '"
              + queue
              + "' needs capability "
              + Capability.ORDERED_PULL
              + ", which the RabbitMQ broker lacks: a partition's order is kept by its single"
              + " active consumer, which basic.get bypasses; subscribe to the queue instead");
    }
    return topics.filtered(
        rt.name, wait, left -> pull.receive(rt, max, left, codec, consumerId, this::isClosed));
  }

  @Override
  protected boolean isDeadLetterQueue(QueueRuntime rt) {
    return rt.deadLetterQueue;
  }

  @Override
  protected DeadLetters deadLettersOf(QueueRuntime rt) {
    return new RabbitDeadLetters(rt, consumeConnection, admin, sender, config);
  }

  @Override
  protected QueueStats statsOf(QueueRuntime rt) {
    return RabbitQueueStats.of(
        rt, admin, subscriptionsOf(rt.name).stream().map(RabbitSubscription::stats).toList());
  }

  @Override
  public BrokerCapabilities capabilities() {
    return capabilities;
  }

  @Override
  protected Health openHealth() {
    return ConnectionHealth.of(
        publishConnection.isOpen(),
        consumeConnection.isOpen(),
        publishState.blockedReason(),
        config.endpoint().toString());
  }

  /** Whether RabbitMQ has blocked the publishing connection (a resource alarm), for tests. */
  boolean publishingBlocked() {
    return publishState.isBlocked();
  }

  /** Publishing channels open now, for tests that the pool stays bounded. */
  int openPublishingChannels() {
    return pool.openChannels();
  }

  /** The most publishing channels open at once so far. */
  int peakPublishingChannels() {
    return pool.peakChannels();
  }

  /** Pipelined publishes written and not yet confirmed, for tests. */
  int unconfirmedPublishes() {
    return pipelined.unconfirmed();
  }

  /** The most pipelined publishes ever written and not yet confirmed at once, for tests. */
  int peakUnconfirmedPublishes() {
    return pipelined.peakUnconfirmed();
  }

  @Override
  protected void closeNow(Instant deadline) {
    if (reporter != null) {
      reporter.close();
    }
    List<RabbitSubscription> all = subscriptions();
    all.forEach(RabbitSubscription::stopIntake);
    closePublishers();
    all.forEach(s -> s.finish(deadline));
    movers.values().forEach(list -> list.forEach(m -> m.close(deadline)));
    movers.clear();
    pull.close();
    admin.close();
    pool.close();
    // a blocked connection never answers close-ok: bound the wait by what is left, then drop it
    int left =
        (int)
            Math.min(
                Integer.MAX_VALUE, Math.max(200, Saturating.millisUntil(Instant.now(), deadline)));
    RabbitConnections.closeQuietly(consumeConnection, left);
    RabbitConnections.closeQuietly(publishConnection, left);
    pipelined.close(); // after the connections: what their closing failed is resent no more
    timer.shutdownNow();
    work.shutdownNow();
    if (ownClock != null) {
      ownClock.close(); // a clock the config supplied belongs to the caller
    }
  }

  /** The runtime of queue {@code name}, for tests that read its counters. */
  QueueRuntime runtime(String name) {
    return lookup(name);
  }
}
