package io.jqueue.publishers;

import io.jqueue.BatchResult;
import io.jqueue.Health;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.internal.DefaultPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A test double for the code under test's {@link Publisher}: it records every message that would
 * have reached a broker, and can be told to fail. It runs the real publish chain (the options'
 * default headers, middlewares and limits), so what it records is what a broker would get, and
 * errors are the ones a broker would throw for bad input. Thread-safe.
 *
 * <pre>{@code
 * RecordingPublisher publisher = RecordingPublisher.create();
 * new SignupService(publisher).signUp("ada@example.com");
 * assertThat(publisher.published("users")).extracting(Message::action).containsExactly("user.created");
 * publisher.failNext(new BrokerUnavailableException("down"));
 * }</pre>
 */
public final class RecordingPublisher implements Publisher {
  private final List<Message> published = new CopyOnWriteArrayList<>();
  private final Queue<JQueueException> nextFailures = new ArrayDeque<>();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final DefaultPublisher delegate;
  private volatile Health reported = Health.up();

  private record Rule(Predicate<Message> when, Function<Message, JQueueException> error) {}

  private RecordingPublisher(PublisherOptions options) {
    this.delegate = new DefaultPublisher(options, this::record, () -> reported, () -> {});
  }

  /** A recording publisher with default options (no middlewares). */
  public static RecordingPublisher create() {
    return new RecordingPublisher(PublisherOptions.builder().id("recording").build());
  }

  /** A recording publisher that runs {@code options}' chain before recording. */
  public static RecordingPublisher create(PublisherOptions options) {
    return new RecordingPublisher(Objects.requireNonNull(options, "options"));
  }

  private PublishReceipt record(Message message, Instant deadline) {
    JQueueException failure;
    synchronized (nextFailures) {
      failure = nextFailures.poll();
    }
    if (failure == null) {
      for (Rule r : rules) {
        if (r.when.test(message)) {
          failure = r.error.apply(message);
          break;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    published.add(message);
    return new PublishReceipt(message.id(), message.topic(), Instant.now());
  }

  /** Every message recorded so far, in the order they were published. */
  public List<Message> published() {
    return List.copyOf(published);
  }

  /** The messages recorded for {@code topic}. */
  public List<Message> published(String topic) {
    return published.stream().filter(m -> Objects.equals(m.topic(), topic)).toList();
  }

  /** The last message recorded. */
  public Message last() {
    List<Message> all = published();
    if (all.isEmpty()) {
      throw new IllegalStateException("nothing was published");
    }
    return all.get(all.size() - 1);
  }

  /** Forgets what was recorded and every failure still planned. */
  public void clear() {
    published.clear();
    rules.clear();
    synchronized (nextFailures) {
      nextFailures.clear();
    }
  }

  /** The next publish fails with {@code error} (calls queue up: one failure per publish). */
  public RecordingPublisher failNext(JQueueException error) {
    synchronized (nextFailures) {
      nextFailures.add(Objects.requireNonNull(error, "error"));
    }
    return this;
  }

  /** Every publish of a message matching {@code when} fails with what {@code error} gives. */
  public RecordingPublisher failWhen(
      Predicate<Message> when, Function<Message, JQueueException> error) {
    rules.add(new Rule(Objects.requireNonNull(when), Objects.requireNonNull(error)));
    return this;
  }

  /**
   * Makes {@link #health()} report {@code health} (while open), to test how the code under test
   * reacts to a broker going down.
   */
  public RecordingPublisher reportHealth(Health health) {
    this.reported = Objects.requireNonNull(health, "health");
    return this;
  }

  /** UP, or what {@link #reportHealth} set; DOWN once closed. */
  @Override
  public Health health() {
    return delegate.health();
  }

  @Override
  public String id() {
    return delegate.id();
  }

  @Override
  public PublishReceipt publish(Message message) {
    return delegate.publish(message);
  }

  @Override
  public PublishReceipt publish(Message message, Duration timeout) {
    return delegate.publish(message, timeout);
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message) {
    return delegate.publishAsync(message);
  }

  @Override
  public BatchResult publishAll(List<Message> messages) {
    return delegate.publishAll(messages);
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }

  @Override
  public String toString() {
    return "RecordingPublisher{" + id() + ", recorded=" + published.size() + '}';
  }
}
