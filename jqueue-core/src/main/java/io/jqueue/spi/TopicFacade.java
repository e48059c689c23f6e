package io.jqueue.spi;

import io.jqueue.Capability;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.QueueSpec;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The topic half of {@link AbstractBroker}: declares and deletes topics and subscriptions in the
 * {@link Topology} (a subscription is a queue named {@code topic/name}), and has the broker's
 * {@link TopicRuntime} copy, bind and replay. Thread-safe.
 */
final class TopicFacade<Q> {
  private final Topology<Q> topology;
  private final Function<Capability, TopicRuntime<Q>> runtime;
  private final Function<QueueSpec, Map<String, Q>> createQueue;
  private final Consumer<QueueSpec> checkSpec;
  private final Function<String, Q> lookup;
  private final Predicate<String> removeQueue;

  TopicFacade(
      Topology<Q> topology,
      Function<Capability, TopicRuntime<Q>> runtime,
      Function<QueueSpec, Map<String, Q>> createQueue,
      Consumer<QueueSpec> checkSpec,
      Function<String, Q> lookup,
      Predicate<String> removeQueue) {
    this.topology = topology;
    this.runtime = runtime;
    this.createQueue = createQueue;
    this.checkSpec = checkSpec;
    this.lookup = lookup;
    this.removeQueue = removeQueue;
  }

  void declareTopic(TopicSpec spec) {
    TopicRuntime<Q> topics = runtime.apply(Capability.TOPICS);
    if (spec.retains()) {
      runtime.apply(Capability.REPLAY);
    }
    topology.declareTopic(spec, () -> topics.createTopic(spec));
  }

  void declareSubscription(SubscriptionSpec spec) {
    TopicRuntime<Q> topics = runtime.apply(Capability.TOPICS);
    checkSpec.accept(spec.queueSpec());
    boolean created =
        topology.declareSubscription(
            spec, createQueue, () -> topics.bind(spec, lookup.apply(spec.address())));
    if (created && spec.startAt().from().isPresent() && topics.retains(spec.topic())) {
      topics.replay(spec, lookup.apply(spec.address()), spec.startAt().from().get());
    }
  }

  boolean deleteSubscription(String address) {
    SubscriptionSpec spec = topology.subscription(address);
    if (spec == null) {
      return false;
    }
    runtime.apply(Capability.TOPICS).unbind(spec);
    return removeQueue.test(address);
  }

  boolean deleteTopic(String topic) {
    if (topology.topic(topic) == null) {
      return false;
    }
    topology.subscriptionsOf(topic).forEach(this::deleteSubscription);
    if (topology.removeTopic(topic)) {
      runtime.apply(Capability.TOPICS).deleteTopic(topic);
    }
    return true;
  }

  void seek(String address, Instant from) {
    TopicRuntime<Q> topics = runtime.apply(Capability.REPLAY);
    SubscriptionSpec spec = topology.subscription(address);
    if (spec == null) {
      throw new DestinationNotFoundException(address);
    }
    topics.replay(spec, lookup.apply(address), from);
  }
}
