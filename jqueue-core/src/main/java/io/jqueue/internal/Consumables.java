package io.jqueue.internal;

import io.jqueue.Broker;
import java.util.LinkedHashSet;
import java.util.Set;

/** What of a broker can be consumed and has statistics: its queues and every subscription. */
public final class Consumables {
  private Consumables() {}

  /** The declared queues, then each topic's subscriptions ({@code topic/name}). */
  public static Set<String> of(Broker broker) {
    Set<String> all = new LinkedHashSet<>(broker.queues());
    for (String topic : broker.topics()) {
      all.addAll(broker.subscriptions(topic));
    }
    return all;
  }
}
