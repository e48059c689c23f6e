package io.jqueue.spi;

import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import java.time.Instant;

/**
 * How a broker with {@link io.jqueue.Capability#TOPICS} carries topics out; {@link AbstractBroker}
 * keeps the registry and its conflict rules and calls these in order (a topic before its
 * subscriptions, a subscription's queue before its binding).
 *
 * @param <Q> the broker's runtime of one queue (a subscription's queue is one)
 */
public interface TopicRuntime<Q> {

  /** Creates topic {@code spec} (with its retention, if any). */
  void createTopic(TopicSpec spec);

  /** Removes topic {@code topic} and what it retains; its subscriptions are gone already. */
  void deleteTopic(String topic);

  /** From now on, copies every matching message published to the topic into {@code queue}. */
  void bind(SubscriptionSpec spec, Q queue);

  /** Stops copying into the subscription's queue (which is deleted next). */
  void unbind(SubscriptionSpec spec);

  /** Whether topic {@code topic} retains messages for replay. */
  boolean retains(String topic);

  /**
   * Copies into {@code queue} every retained message of the subscription's topic published at or
   * after {@code from} that matches the subscription, in publish order.
   */
  void replay(SubscriptionSpec spec, Q queue, Instant from);
}
