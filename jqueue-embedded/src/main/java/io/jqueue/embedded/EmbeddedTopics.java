package io.jqueue.embedded;

import io.jqueue.DeadLetterReason;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import io.jqueue.internal.DeadLetterHeaders;
import io.jqueue.internal.Saturating;
import io.jqueue.internal.SubscriptionFilter;
import io.jqueue.spi.TopicRuntime;
import io.jqueue.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's topics: a publish is retained (when the topic retains) and copied into the
 * queue of every subscription whose action patterns and filter match, in the order subscriptions
 * were declared. A filter that throws dead-letters its subscription's copy ({@code REJECTED}), so
 * no message is lost or looped over it. Thread-safe.
 */
final class EmbeddedTopics implements TopicRuntime<EmbeddedQueue> {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedTopics.class);

  private final TimeSource time;
  private final Map<String, Topic> topics = new ConcurrentHashMap<>();

  EmbeddedTopics(TimeSource time) {
    this.time = time;
  }

  /** One topic: its subscriptions and what it retains. */
  private final class Topic {
    final TopicSpec spec;
    final List<Binding> bindings = new CopyOnWriteArrayList<>();
    final ArrayDeque<Retained> retained = new ArrayDeque<>(); // by this
    long retainedBytes; // by this

    Topic(TopicSpec spec) {
      this.spec = spec;
    }

    synchronized void retain(Message m, Instant now) {
      if (!spec.retains()) {
        return;
      }
      retained.add(new Retained(now, m));
      retainedBytes += m.payloadSize();
      prune(now);
    }

    synchronized List<Message> retainedFrom(Instant from, Instant now) {
      prune(now);
      List<Message> out = new ArrayList<>();
      for (Retained r : retained) {
        if (!r.publishedAt.isBefore(from)) {
          out.add(r.message);
        }
      }
      return out;
    }

    private void prune(Instant now) {
      Instant oldest = Saturating.plus(now, spec.retention().negated());
      while (!retained.isEmpty()
          && (retained.peekFirst().publishedAt.isBefore(oldest)
              || (spec.maxRetainedBytes() > 0 && retainedBytes > spec.maxRetainedBytes()))) {
        retainedBytes -= retained.pollFirst().message.payloadSize();
      }
    }
  }

  private record Retained(Instant publishedAt, Message message) {}

  private record Binding(SubscriptionSpec spec, EmbeddedQueue queue, SubscriptionFilter filter) {}

  /** Whether {@code name} is a topic of this broker. */
  boolean isTopic(String name) {
    return topics.containsKey(name);
  }

  /**
   * Publishes {@code message} to its topic: retained, then copied to each matching subscription.
   */
  PublishReceipt publish(Message message, Instant deadline) {
    Topic topic = topics.get(message.topic());
    if (topic == null) {
      throw new DestinationNotFoundException(message.topic());
    }
    Instant now = time.now();
    topic.retain(message, now);
    for (Binding b : topic.bindings) {
      deliver(b, message, deadline);
    }
    return new PublishReceipt(message.id(), message.topic(), now);
  }

  /** Copies {@code message} into binding {@code b}'s queue if it matches; never throws. */
  private void deliver(Binding b, Message message, Instant deadline) {
    if (!b.spec.matchesAction(message.action())) {
      return;
    }
    try {
      switch (b.filter.test(message)) {
        case MATCH -> b.queue.intake.publish(message, deadline);
        case NO_MATCH -> b.queue.countFiltered();
        case ERROR -> deadLetterFiltered(b, message);
      }
    } catch (DestinationNotFoundException e) {
      LOG.debug("subscription '{}' was deleted during a publish", b.spec.address());
    }
  }

  private void deadLetterFiltered(Binding b, Message message) {
    Message dead =
        DeadLetterHeaders.stamp(
            message,
            DeadLetterReason.REJECTED,
            null,
            "the filter of subscription " + b.spec.address() + " threw: " + b.filter.lastError(),
            0,
            b.spec.address(),
            time.now(),
            time.now());
    b.queue.acceptFilteredDeadLetter(dead);
  }

  @Override
  public void createTopic(TopicSpec spec) {
    topics.put(spec.name(), new Topic(spec));
  }

  @Override
  public void deleteTopic(String topic) {
    topics.remove(topic);
  }

  @Override
  public void bind(SubscriptionSpec spec, EmbeddedQueue queue) {
    topics.get(spec.topic()).bindings.add(new Binding(spec, queue, SubscriptionFilter.of(spec)));
  }

  @Override
  public void unbind(SubscriptionSpec spec) {
    Topic topic = topics.get(spec.topic());
    if (topic != null) {
      topic.bindings.removeIf(b -> b.spec.address().equals(spec.address()));
    }
  }

  @Override
  public boolean retains(String topic) {
    Topic t = topics.get(topic);
    return t != null && t.spec.retains();
  }

  @Override
  public void replay(SubscriptionSpec spec, EmbeddedQueue queue, Instant from) {
    Topic topic = topics.get(spec.topic());
    if (topic == null) {
      throw new DestinationNotFoundException(spec.topic());
    }
    Binding binding =
        topic.bindings.stream()
            .filter(b -> b.spec.address().equals(spec.address()))
            .findFirst()
            .orElseThrow(() -> new DestinationNotFoundException(spec.address()));
    Instant deadline = Saturating.deadlineAfter(Duration.ofSeconds(30));
    for (Message m : topic.retainedFrom(from, time.now())) {
      deliver(binding, m, deadline);
    }
  }
}
