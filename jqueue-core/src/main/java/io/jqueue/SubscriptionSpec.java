package io.jqueue;

import io.jqueue.filter.MessageFilter;
import io.jqueue.internal.ActionPattern;
import io.jqueue.internal.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a subscription is ({@link Broker#declareSubscription}): a durable queue, addressed {@code
 * topic/name}, that receives a copy of every message published to its topic whose action matches
 * one of its patterns and which passes its filter. It has every rule of a queue (retries, backoff,
 * dead-letter queue {@code topic/name.dlq}, ack deadline as visibility timeout, TTL, statistics).
 * Immutable; built with {@link #builder}.
 */
public final class SubscriptionSpec {
  private final String topic;
  private final String name;
  private final List<String> actions;
  private final List<ActionPattern> patterns;
  private final MessageFilter filter;
  private final Predicate<Message> filterPredicate;
  private final StartPosition startAt;
  private final QueueSpec queue;

  private SubscriptionSpec(Builder b) {
    this.topic = b.topic;
    this.name = b.name;
    this.actions = List.copyOf(b.actions.isEmpty() ? List.of("#") : b.actions);
    this.patterns = actions.stream().map(ActionPattern::of).toList();
    this.filter = b.filter;
    this.filterPredicate = b.filterPredicate;
    this.startAt = b.startAt;
    this.queue = b.queue.build();
  }

  /** A builder for subscription {@code name} of {@code topic}. */
  public static Builder builder(String topic, String name) {
    return new Builder(topic, name);
  }

  /** The topic it is attached to. */
  public String topic() {
    return topic;
  }

  /** Its name within the topic. */
  public String name() {
    return name;
  }

  /**
   * {@code topic/name}: what {@code subscribe}, {@code receive}, {@code stats} and {@code seek}
   * take.
   */
  public String address() {
    return topic + "/" + name;
  }

  /** The action patterns (AMQP topic wildcards: {@code *} one word, {@code #} any number). */
  public List<String> actions() {
    return actions;
  }

  /** Whether the action of a message matches one of the patterns. */
  public boolean matchesAction(String action) {
    return ActionPattern.anyMatches(patterns, action);
  }

  /** The declarative filter's text, if one was given. */
  public Optional<String> filterExpression() {
    return filter == null ? Optional.empty() : Optional.of(filter.expression());
  }

  /** The declarative filter, parsed, if one was given. */
  public Optional<MessageFilter> filter() {
    return Optional.ofNullable(filter);
  }

  /** The in-process filter, if one was given (not portable across processes). */
  public Optional<Predicate<Message>> filterPredicate() {
    return Optional.ofNullable(filterPredicate);
  }

  /** Where a new subscription starts. */
  public StartPosition startAt() {
    return startAt;
  }

  /** The queue rules of the subscription's queue (named {@link #address()}). */
  public QueueSpec queueSpec() {
    return queue;
  }

  /**
   * Whether declaring {@code other} again is harmless: the same address, patterns, filter and queue
   * rules (a predicate filter is compared by identity). The start position applies only when the
   * subscription is created.
   */
  public boolean sameAs(SubscriptionSpec other) {
    return address().equals(other.address())
        && actions.equals(other.actions)
        && Objects.equals(filter, other.filter)
        && filterPredicate == other.filterPredicate
        && queue.equals(other.queue);
  }

  @Override
  public String toString() {
    return "SubscriptionSpec{"
        + address()
        + ", actions="
        + actions
        + (filter != null ? ", filter=" + filter.expression() : "")
        + (filterPredicate != null ? ", filter=<predicate>" : "")
        + ", startAt="
        + startAt
        + ", "
        + queue
        + '}';
  }

  /** Builds a {@link SubscriptionSpec}; setters validate their argument. */
  public static final class Builder {
    private final String topic;
    private final String name;
    private final List<String> actions = new ArrayList<>();
    private MessageFilter filter;
    private Predicate<Message> filterPredicate;
    private StartPosition startAt = StartPosition.LATEST;
    private final QueueSpec.Builder queue;

    private Builder(String topic, String name) {
      new TopicSpec(topic, Duration.ZERO, 0); // checks the topic name
      Names.requireValidDestination(name, "subscription name");
      if (name.endsWith(Names.DLQ_SUFFIX)) {
        throw new ValidationException("subscription name '" + name + "' must not end in .dlq");
      }
      if ((topic + "/" + name).length() > 251) {
        throw new ValidationException(
            "subscription address '" + topic + "/" + name + "' is over 251 characters");
      }
      this.topic = topic;
      this.name = name;
      this.queue = new QueueSpec.Builder(topic + "/" + name, true);
    }

    /** Routing-key patterns on the message's action (default {@code #}: every action). */
    public Builder actions(String... patterns) {
      actions.clear();
      for (String p : patterns) {
        ActionPattern.of(p);
        actions.add(p);
      }
      return this;
    }

    /**
     * A declarative filter over the message's headers (the Google Pub/Sub grammar, SPEC §5, see
     * {@link MessageFilter}); works on every broker.
     *
     * @throws io.jqueue.filter.FilterSyntaxException (a {@link ValidationException}) naming the
     *     position of the error and what was expected there
     */
    public Builder filter(String expression) {
      if (filterPredicate != null) {
        throw new ValidationException("a subscription has one filter: a predicate was set already");
      }
      this.filter = MessageFilter.parse(Objects.requireNonNull(expression, "expression"));
      return this;
    }

    /**
     * An in-process filter; a message for which it throws is dead-lettered from the subscription,
     * never dropped.
     */
    public Builder filter(Predicate<Message> predicate) {
      Objects.requireNonNull(predicate, "predicate");
      if (filter != null) {
        throw new ValidationException(
            "a subscription has one filter: an expression was set already");
      }
      this.filterPredicate = predicate;
      return this;
    }

    /** Where a new subscription starts (default {@link StartPosition#LATEST}). */
    public Builder startAt(StartPosition position) {
      this.startAt = Objects.requireNonNull(position, "position");
      return this;
    }

    /**
     * Attempts per message before it is dead-lettered (see {@link QueueSpec.Builder#maxRetries}).
     */
    public Builder maxRetries(int maxRetries) {
      queue.maxRetries(maxRetries);
      return this;
    }

    /** How long a handler has before the message is delivered again (the visibility timeout). */
    public Builder ackDeadline(Duration deadline) {
      queue.visibilityTimeout(deadline);
      return this;
    }

    /** The wait between attempts. */
    public Builder backoff(Backoff backoff) {
      queue.backoff(backoff);
      return this;
    }

    /** How long a copy may wait in the subscription before it expires. */
    public Builder messageTtl(Duration ttl) {
      queue.messageTtl(ttl);
      return this;
    }

    /** What happens to expired copies. */
    public Builder expiryPolicy(ExpiryPolicy policy) {
      queue.expiryPolicy(policy);
      return this;
    }

    /** Builds the spec. */
    public SubscriptionSpec build() {
      return new SubscriptionSpec(this);
    }
  }
}
