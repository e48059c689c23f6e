package io.jqueue.spi;

import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetters;
import io.jqueue.Delivery;
import io.jqueue.Health;
import io.jqueue.HealthListener;
import io.jqueue.Message;
import io.jqueue.MessageHandler;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueStats;
import io.jqueue.Requester;
import io.jqueue.RequesterOptions;
import io.jqueue.Responder;
import io.jqueue.Subscription;
import io.jqueue.ValidationException;
import io.jqueue.codec.Codec;
import io.jqueue.internal.Checks;
import io.jqueue.internal.ConsumePipeline;
import io.jqueue.internal.HealthNotifier;
import io.jqueue.internal.MessageSink;
import io.jqueue.internal.PublisherRegistry;
import io.jqueue.internal.ReplyQueues;
import io.jqueue.internal.Requesters;
import io.jqueue.internal.RespondingHandler;
import io.jqueue.internal.Saturating;
import io.jqueue.metrics.BrokerMetrics;
import io.jqueue.time.TimeSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every broker's facade does the same way, so a broker holds only what is its own: argument
 * and closed checks, the registry of declared queues with its conflict rule, the shared and own
 * publishers, the subscription registry (a subscription that fails to start is closed, always), the
 * close-once rule and the optional Micrometer export. A broker supplies the hooks: how a queue is
 * created and deleted, how a message is sent, how a subscription, a pull, dead-letter operations
 * and statistics work, and what closing releases. Thread-safe.
 *
 * @param <Q> the broker's runtime of one queue (a dead-letter queue has its own)
 * @param <S> the broker's subscription
 */
public abstract class AbstractBroker<Q, S extends AbstractSubscription<?>>
    extends AbstractTopologyBroker<Q> {
  private final PublisherRegistry publishers;
  private final Set<S> subscriptions = new CopyOnWriteArraySet<>(); // in the order they began
  private final HealthNotifier healthNotifier;
  private final Requesters requesters;
  private volatile BrokerMetrics metrics;

  /** A broker described as {@code description} (for example "embedded broker 'x'") in errors. */
  protected AbstractBroker(String description) {
    super(description);
    this.publishers = new PublisherRegistry(description, this::defaultHeaders, this::health);
    this.healthNotifier = new HealthNotifier("broker", this::health);
    this.requesters = new Requesters(description);
  }

  /** Exports this broker's statistics to {@code registry}, if present, keeping meters current. */
  protected final void exportMetrics(Optional<MeterRegistry> registry) {
    registry.ifPresent(
        r -> {
          BrokerMetrics m = new BrokerMetrics(this);
          m.bindTo(r);
          metrics = m;
        });
  }

  // ---- hooks ---------------------------------------------------------------------------------

  /**
   * Headers the broker's configuration adds to every message that does not set them, first in every
   * publish chain (default: none).
   */
  protected Map<String, String> defaultHeaders() {
    return Map.of();
  }

  /**
   * Deletes queue {@code name} with its dead-letter queue and every message in them, after the
   * registry forgot them; {@code queue} and {@code deadLetters} are their runtimes ({@code null}
   * when this broker did not declare them), {@code affected} the subscriptions of both. Returns
   * whether the queue existed.
   */
  protected abstract boolean deleteQueue(String name, Q queue, Q deadLetters, List<S> affected);

  /**
   * Publishes {@code message} for publisher {@code publisherId}, confirmed by {@code deadline}: the
   * end of every publish chain. A broker that can tell its consumers who published (RabbitMQ: the
   * AMQP {@code app-id}) does so.
   */
  protected abstract PublishReceipt send(Message message, Instant deadline, String publisherId);

  /**
   * Starts publishing {@code message} for publisher {@code publisherId} and returns the future of
   * its receipt: the end of every pipelined publish chain ({@link
   * io.jqueue.AsyncPublishMiddleware}). It completes with a receipt only once the broker has the
   * message, with the errors {@link #send} throws otherwise, and never on a thread the broker must
   * keep free (its I/O threads); it returns once the message is on its way, having waited (never
   * past {@code deadline}) for room among the broker's unconfirmed publishes if it had to. Default:
   * {@link #send}, synchronously, for a broker whose publish is fast.
   */
  protected CompletableFuture<PublishReceipt> sendAsync(
      Message message, Instant deadline, String publisherId) {
    try {
      return CompletableFuture.completedFuture(send(message, deadline, publisherId));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * A new subscription of {@code queue}; {@code onClosed} must run once when it has closed. Its
   * {@link AbstractSubscription#start} starts it once it is registered.
   */
  protected abstract S newSubscription(
      Q queue, ConsumerOptions options, MessageHandler handler, Runnable onClosed);

  /**
   * Pulls up to {@code max} deliveries of {@code queue}, waiting up to {@code wait} for the first,
   * decoding with {@code codec} and held by {@code consumerId}; the arguments are already checked.
   */
  protected abstract List<InternalDelivery> pull(
      Q queue, int max, Duration wait, Codec codec, String consumerId);

  /** Whether {@code queue} is a dead-letter queue. */
  protected abstract boolean isDeadLetterQueue(Q queue);

  /** The dead-letter operations of the (parent) queue {@code queue}. */
  protected abstract DeadLetters deadLettersOf(Q queue);

  /** A snapshot of {@code queue}'s figures. */
  protected abstract QueueStats statsOf(Q queue);

  /**
   * The broker's health while it is open (once closing began, {@link #health()} reports DOWN
   * itself): fast, non-blocking, and safe to call from any thread. A broker whose health can change
   * while open calls {@link #healthChanged()} after each change.
   */
  protected abstract Health openHealth();

  /** The broker's clock: request timeouts run on it, as leases and backoff do. */
  protected abstract TimeSource timeSource();

  /**
   * How this broker carries request-reply. Default: a reply queue {@code jqueue.replies.<id>} per
   * requester, declared when it opens and deleted when it closes; requests and replies are ordinary
   * publishes.
   */
  protected RequestReply requestReply() {
    return new ReplyQueues(this, this::send);
  }

  /**
   * Releases everything once, by {@code deadline} for running handlers; intake already refuses
   * (every call checks {@link #checkOpen}). {@link #closePublishers} and {@link
   * #closeSubscriptions} do the shared part.
   */
  protected abstract void closeNow(Instant deadline);

  // ---- the facade ----------------------------------------------------------------------------

  @Override
  public final Publisher publisher() {
    checkOpen();
    return publishers.shared(sinkOf("default"));
  }

  @Override
  public final Publisher publisher(PublisherOptions options) {
    Objects.requireNonNull(options, "options");
    checkOpen();
    return publishers.open(options, sinkOf(options.id()));
  }

  /** Where publisher {@code publisherId}'s chains end: {@link #send} and {@link #sendAsync}. */
  private MessageSink sinkOf(String publisherId) {
    return new MessageSink() {
      @Override
      public PublishReceipt send(Message message, Instant deadline) {
        return AbstractBroker.this.send(message, deadline, publisherId);
      }

      @Override
      public CompletableFuture<PublishReceipt> sendAsync(Message message, Instant deadline) {
        return AbstractBroker.this.sendAsync(message, deadline, publisherId);
      }
    };
  }

  @Override
  public final Subscription subscribe(
      String queue, ConsumerOptions options, MessageHandler handler) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(handler, "handler");
    checkOpen();
    Q q = lookup(queue);
    Checks.uniqueConsumerId(subscriptions, queue, options.id());
    AtomicReference<S> self = new AtomicReference<>();
    S s =
        newSubscription(
            q,
            options,
            handler,
            () -> {
              subscriptions.remove(self.get());
              refreshMetrics();
            });
    self.set(s);
    subscriptions.add(s);
    try {
      s.start();
      checkOpen(); // the broker may have closed after its subscription snapshot: no leak
    } catch (RuntimeException e) { // queue deleted, broker closed, or the broker refused
      s.close(Duration.ZERO);
      subscriptions.remove(s);
      throw e;
    }
    refreshMetrics();
    return s;
  }

  @Override
  public final Requester requester(RequesterOptions options) {
    Objects.requireNonNull(options, "options");
    checkOpen();
    return requesters.open(
        options, timeSource(), requestReply(), sink -> publishers.open(options.publisher(), sink));
  }

  @Override
  public final Subscription respond(String queue, ConsumerOptions options, Responder responder) {
    Objects.requireNonNull(options, "options");
    return subscribe(
        queue,
        options,
        new RespondingHandler(queue, options.id(), responder, defaultHeaders(), requestReply()));
  }

  @Override
  public final List<Delivery> receive(String queue, int max, Duration wait) {
    return receive(queue, ConsumerOptions.pull(), max, wait);
  }

  @Override
  public final List<Delivery> receive(
      String queue, ConsumerOptions options, int max, Duration wait) {
    Objects.requireNonNull(options, "options");
    Checks.receiveArguments(max, wait);
    checkOpen();
    Q q = lookup(queue);
    Instant deadline = Saturating.deadlineAfter(wait);
    ConsumePipeline chain = new ConsumePipeline(options.middlewares(), d -> {});
    List<Delivery> out = new ArrayList<>();
    Duration left = wait;
    while (true) {
      List<InternalDelivery> got = pull(q, max, left, options.codec(), options.id());
      for (InternalDelivery d : got) {
        chain.handOut(d).ifPresent(out::add);
      }
      left = Duration.ofMillis(Saturating.millisUntil(Instant.now(), deadline));
      // a middleware kept every one from the caller (settled it): wait on for others
      if (!out.isEmpty() || got.isEmpty() || left.isZero() || left.isNegative()) {
        return out;
      }
    }
  }

  @Override
  public final DeadLetters deadLetters(String queue) {
    checkOpen();
    Q q = lookup(queue);
    if (isDeadLetterQueue(q)) {
      throw new ValidationException(
          "'" + queue + "' is itself a dead-letter queue; ask for its parent's dead letters");
    }
    return deadLettersOf(q);
  }

  @Override
  public final QueueStats stats(String queue) {
    checkOpen();
    return statsOf(lookup(queue));
  }

  @Override
  public final Health health() {
    if (isClosed()) {
      return Health.down("the " + description() + " is closed");
    }
    return openHealth();
  }

  @Override
  public final HealthListener.Registration onHealthChange(HealthListener listener) {
    Objects.requireNonNull(listener, "listener");
    checkOpen();
    return healthNotifier.add(listener);
  }

  @Override
  public final void close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    closeOnce(
        () -> {
          healthNotifier.refresh(); // DOWN: closed, before anything is released
          try {
            requesters.closeAll(); // fails the requests they wait for
            closeNow(Saturating.deadlineAfter(timeout));
            BrokerMetrics m = metrics;
            if (m != null) {
              m.close();
            }
          } finally {
            healthNotifier.close();
          }
        });
  }

  @Override
  final boolean queueRemoved(String name, String dlqName, Q queue, Q deadLetters) {
    List<S> affected = new ArrayList<>();
    for (S s : subscriptions) {
      if (s.queue().equals(name) || s.queue().equals(dlqName)) {
        affected.add(s);
      }
    }
    return deleteQueue(name, queue, deadLetters, affected);
  }

  // ---- for the broker ------------------------------------------------------------------------

  /**
   * Tells the health listeners if {@link #health()} changed; call after anything that may change
   * it, from any thread, but not while holding a lock {@link #openHealth()} takes.
   */
  protected final void healthChanged() {
    healthNotifier.refresh();
  }

  /** The open subscriptions now. */
  protected final List<S> subscriptions() {
    return List.copyOf(subscriptions);
  }

  /** The open subscriptions of queue {@code name}. */
  protected final List<S> subscriptionsOf(String name) {
    return subscriptions.stream().filter(s -> s.queue().equals(name)).toList();
  }

  /** Closes every publisher handed out, failing what they could not send yet. */
  protected final void closePublishers() {
    publishers.closeAll(Duration.ZERO);
  }

  /** Aligns the exported meters with the current queues and subscriptions. */
  @Override
  protected final void refreshMetrics() {
    BrokerMetrics m = metrics;
    if (m != null) {
      m.refresh();
    }
  }

  @Override
  public String toString() {
    String name = getClass().getSimpleName();
    return name + "{" + description() + (isClosed() ? ", closed" : "") + '}';
  }
}
