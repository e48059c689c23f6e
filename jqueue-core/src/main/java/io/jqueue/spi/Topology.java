package io.jqueue.spi;

import io.jqueue.DestinationNotFoundException;
import io.jqueue.QueueSpec;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import io.jqueue.TopologyConflictException;
import io.jqueue.internal.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A broker's declared topology: queues (each with its dead-letter queue), topics and subscriptions,
 * with the rule that a different spec under a taken name is a {@link TopologyConflictException}.
 * Changes happen under one lock; runtimes are looked up without it. Thread-safe.
 *
 * @param <Q> the broker's runtime of one queue
 */
final class Topology<Q> {
  private final Object lock = new Object();
  private final Map<String, QueueSpec> queueSpecs = new LinkedHashMap<>(); // by lock
  private final Map<String, TopicSpec> topicSpecs = new LinkedHashMap<>(); // by lock
  private final Map<String, SubscriptionSpec> subscriptionSpecs = new LinkedHashMap<>(); // by lock
  private final Map<String, Q> byName = new ConcurrentHashMap<>();

  /** Runs {@code action} under the topology lock. */
  <T> T locked(java.util.function.Supplier<T> action) {
    synchronized (lock) {
      return action.get();
    }
  }

  /**
   * Declares queue {@code spec} (its runtimes made by {@code create}, the queue and its dead-letter
   * queue by name); returns false when an equal spec was declared already.
   */
  boolean declareQueue(QueueSpec spec, Function<QueueSpec, Map<String, Q>> create) {
    synchronized (lock) {
      if (topicSpecs.containsKey(spec.name())) {
        throw conflict(spec.name(), "a topic of that name exists; queues and topics share names");
      }
      QueueSpec existing = queueSpecs.get(spec.name());
      if (existing != null) {
        if (existing.equals(spec)) {
          return false;
        }
        throw conflict(
            spec.name(),
            "queue '"
                + spec.name()
                + "' already exists with a different spec ("
                + String.join("; ", existing.differences(spec))
                + "); jqueue never changes a queue silently: delete it first or use another name");
      }
      byName.putAll(create.apply(spec));
      queueSpecs.put(spec.name(), spec);
      return true;
    }
  }

  /** Forgets queue {@code name}; returns its runtime and its dead-letter queue's, or nulls. */
  List<Q> removeQueue(String name, String deadLetterName) {
    synchronized (lock) {
      boolean declared = queueSpecs.remove(name) != null; // a dead-letter queue is never declared
      List<Q> out = new ArrayList<>();
      out.add(declared ? byName.remove(name) : null);
      out.add(declared ? byName.remove(deadLetterName) : null);
      subscriptionSpecs.remove(name);
      return out;
    }
  }

  /** Declares topic {@code spec}; false when an equal one exists. */
  boolean declareTopic(TopicSpec spec, Runnable create) {
    synchronized (lock) {
      if (queueSpecs.containsKey(spec.name())) {
        throw conflict(spec.name(), "a queue of that name exists; queues and topics share names");
      }
      TopicSpec existing = topicSpecs.get(spec.name());
      if (existing != null) {
        if (existing.equals(spec)) {
          return false;
        }
        throw conflict(
            spec.name(),
            "topic '" + spec.name() + "' exists as " + existing + "; delete it first to change it");
      }
      create.run();
      topicSpecs.put(spec.name(), spec);
      return true;
    }
  }

  /** Declares subscription {@code spec} with its queue; false when the same one exists. */
  boolean declareSubscription(
      SubscriptionSpec spec, Function<QueueSpec, Map<String, Q>> create, Runnable bind) {
    synchronized (lock) {
      if (!topicSpecs.containsKey(spec.topic())) {
        throw new DestinationNotFoundException(spec.topic());
      }
      SubscriptionSpec existing = subscriptionSpecs.get(spec.address());
      if (existing != null) {
        if (existing.sameAs(spec)) {
          return false;
        }
        throw conflict(
            spec.address(),
            "subscription '" + spec.address() + "' exists as " + existing + "; delete it first");
      }
      declareQueue(spec.queueSpec(), create);
      subscriptionSpecs.put(spec.address(), spec);
      try {
        bind.run();
      } catch (RuntimeException e) { // forget it, so declaring it again binds it
        subscriptionSpecs.remove(spec.address());
        queueSpecs.remove(spec.address());
        byName.remove(spec.address());
        byName.remove(Names.deadLetterQueueOf(spec.address()));
        throw e;
      }
      return true;
    }
  }

  /** Forgets topic {@code name}; true when it was declared. Its subscriptions go first. */
  boolean removeTopic(String name) {
    synchronized (lock) {
      return topicSpecs.remove(name) != null;
    }
  }

  TopicSpec topic(String name) {
    synchronized (lock) {
      return topicSpecs.get(name);
    }
  }

  SubscriptionSpec subscription(String address) {
    synchronized (lock) {
      return subscriptionSpecs.get(address);
    }
  }

  Set<String> topics() {
    synchronized (lock) {
      return new LinkedHashSet<>(topicSpecs.keySet());
    }
  }

  Set<String> subscriptionsOf(String topic) {
    synchronized (lock) {
      Set<String> out = new LinkedHashSet<>();
      subscriptionSpecs.values().stream()
          .filter(s -> s.topic().equals(topic))
          .forEach(s -> out.add(s.address()));
      return out;
    }
  }

  Set<String> queues() {
    synchronized (lock) {
      Set<String> out = new LinkedHashSet<>(queueSpecs.keySet());
      out.removeAll(subscriptionSpecs.keySet());
      return out;
    }
  }

  Q find(String name) {
    return name == null ? null : byName.get(name);
  }

  List<Q> runtimes() {
    return List.copyOf(byName.values());
  }

  List<Q> parentRuntimes() {
    synchronized (lock) {
      List<Q> out = new ArrayList<>();
      for (String name : queueSpecs.keySet()) {
        Q q = byName.get(name);
        if (q != null) {
          out.add(q);
        }
      }
      return out;
    }
  }

  private static TopologyConflictException conflict(String name, String message) {
    return new TopologyConflictException(name, message);
  }
}
