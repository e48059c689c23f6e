package io.jqueue.spi;

import io.jqueue.Broker;
import io.jqueue.BrokerClosedException;
import io.jqueue.Capability;
import io.jqueue.ConfigurationException;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.QueueSpec;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import io.jqueue.internal.CloseOnce;
import io.jqueue.internal.Names;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The topology half of every broker facade: queues (each with its dead-letter queue), topics and
 * subscriptions declared and deleted under one registry with one conflict rule, lookups by name,
 * and the closed flag. {@link AbstractBroker} adds publishing, consuming, health and closing.
 *
 * @param <Q> the broker's runtime of one queue (a dead-letter queue and a subscription have their
 *     own)
 */
public abstract class AbstractTopologyBroker<Q> implements Broker {
  private final String description;
  private final CloseOnce closing = new CloseOnce();
  private final Topology<Q> topology = new Topology<>();
  private final TopicFacade<Q> topics =
      new TopicFacade<>(
          topology,
          this::requireTopics,
          this::createQueue,
          this::checkSpec,
          this::lookup,
          this::removeQueue);

  AbstractTopologyBroker(String description) {
    this.description = Objects.requireNonNull(description, "description");
  }

  // ---- hooks ---------------------------------------------------------------------------------

  /** Checks a spec the broker cannot honour before anything is declared (default: none). */
  protected void checkSpec(QueueSpec spec) {}

  /**
   * Creates the queue {@code spec} declares and its dead-letter queue, under the topology lock;
   * returns their runtimes by name.
   */
  protected abstract Map<String, Q> createQueue(QueueSpec spec);

  /** How this broker carries topics out, or null when it lacks {@link Capability#TOPICS}. */
  protected TopicRuntime<Q> topicRuntime() {
    return null;
  }

  /** Queue {@code name} was forgotten: delete it; returns whether it existed. */
  abstract boolean queueRemoved(String name, String dlqName, Q queue, Q deadLetters);

  /** Aligns the exported meters with the current queues and subscriptions. */
  protected abstract void refreshMetrics();

  // ---- the facade ----------------------------------------------------------------------------

  @Override
  public final void declareQueue(QueueSpec spec) {
    Objects.requireNonNull(spec, "spec");
    checkOpen();
    checkSpec(spec);
    topology.locked(
        () -> {
          checkOpen();
          return topology.declareQueue(spec, this::createQueue);
        });
    refreshMetrics();
  }

  @Override
  public final boolean deleteQueue(String name) {
    Objects.requireNonNull(name, "name");
    checkOpen();
    if (topology.subscription(name) != null) {
      return topics.deleteSubscription(name);
    }
    return removeQueue(name);
  }

  private boolean removeQueue(String name) {
    String dlqName = Names.deadLetterQueueOf(name);
    List<Q> removed = topology.removeQueue(name, dlqName);
    boolean existed = queueRemoved(name, dlqName, removed.get(0), removed.get(1));
    refreshMetrics();
    return existed;
  }

  @Override
  public final Set<String> queues() {
    return topology.queues();
  }

  // ---- topics (SPEC §5): the registry here, the copying in the broker's TopicRuntime ---------

  private TopicRuntime<Q> requireTopics(Capability capability) {
    TopicRuntime<Q> runtime = topicRuntime();
    if (runtime == null || !capabilities().supports(capability)) {
      throw new ConfigurationException(
          "the " + description + " lacks capability " + capability + " (SPEC §5)");
    }
    return runtime;
  }

  @Override
  public final void declareTopic(TopicSpec spec) {
    checkOpen();
    topics.declareTopic(Objects.requireNonNull(spec, "spec"));
  }

  @Override
  public final void declareSubscription(SubscriptionSpec spec) {
    checkOpen();
    topics.declareSubscription(Objects.requireNonNull(spec, "spec"));
    refreshMetrics();
  }

  @Override
  public final boolean deleteSubscription(String address) {
    checkOpen();
    return topics.deleteSubscription(Objects.requireNonNull(address, "address"));
  }

  @Override
  public final boolean deleteTopic(String topic) {
    checkOpen();
    return topics.deleteTopic(Objects.requireNonNull(topic, "topic"));
  }

  @Override
  public final Set<String> topics() {
    return topology.topics();
  }

  @Override
  public final Set<String> subscriptions(String topic) {
    return topology.subscriptionsOf(topic);
  }

  @Override
  public final void seek(String address, Instant from) {
    checkOpen();
    topics.seek(Objects.requireNonNull(address, "address"), Objects.requireNonNull(from, "from"));
  }

  // ---- for the broker ------------------------------------------------------------------------

  /** How errors name this broker, for example "embedded broker 'x'". */
  protected final String description() {
    return description;
  }

  /** Throws {@link BrokerClosedException} once closing began. */
  protected final void checkOpen() {
    if (closing.isClosed()) {
      throw new BrokerClosedException("the " + description + " is closed");
    }
  }

  /** Whether closing began. */
  protected final boolean isClosed() {
    return closing.isClosed();
  }

  /** The runtime of queue {@code name}; {@link DestinationNotFoundException} when unknown. */
  protected final Q lookup(String name) {
    Q queue = topology.find(name);
    if (queue == null) {
      throw new DestinationNotFoundException(name);
    }
    return queue;
  }

  /** The runtime of queue {@code name}, or {@code null} when this broker did not declare it. */
  protected final Q find(String name) {
    return topology.find(name);
  }

  /** Every queue runtime, dead-letter queues included. */
  protected final List<Q> runtimes() {
    return topology.runtimes();
  }

  /** The runtimes of the declared (parent) queues, in declaration order. */
  protected final List<Q> parentRuntimes() {
    return topology.parentRuntimes();
  }

  /** Runs {@code close} once, the first time it is called; later calls wait for it to finish. */
  final void closeOnce(Runnable close) {
    closing.close(close);
  }
}
