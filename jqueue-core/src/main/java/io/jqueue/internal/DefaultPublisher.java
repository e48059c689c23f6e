package io.jqueue.internal;

import io.jqueue.BatchResult;
import io.jqueue.BrokerClosedException;
import io.jqueue.Health;
import io.jqueue.HealthContributor;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublishOutcome;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The {@link Publisher} of every broker: the publish chain in front of the broker's {@link
 * MessageSink}, plus a small bounded pool for {@link #publishAsync}.
 *
 * <p>When the chain is {@linkplain PublishPipeline#pipelined() pipelined}, {@link #publishAll}
 * starts every message before it collects the outcomes, and a {@link #publishAsync} thread starts a
 * publish and moves on without waiting for the broker: many messages wait for their confirms at
 * once, as many as the broker's window lets start. Otherwise each message is confirmed before the
 * next is sent. Closing waits for the publishes under way, then fails the rest.
 */
public final class DefaultPublisher implements Publisher {
  private final PublisherOptions options;
  private final PublishPipeline pipeline;
  private final ThreadPoolExecutor async;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Runnable onClose;
  private final boolean shared;
  private final Supplier<Health> brokerHealth;
  private final List<HealthContributor> contributors;
  private final Set<CompletableFuture<PublishReceipt>> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * Creates a publisher sending to {@code sink}, whose broker's health is {@code brokerHealth};
   * {@code onClose} runs once when it is closed (the broker uses it to forget the publisher).
   */
  public DefaultPublisher(
      PublisherOptions options, MessageSink sink, Supplier<Health> brokerHealth, Runnable onClose) {
    this(options, Map.of(), sink, brokerHealth, onClose, false);
  }

  /**
   * Creates a publisher whose broker adds {@code brokerDefaults} under its own default headers; a
   * {@code shared} one ignores {@link #close} (many callers hold it) and is closed by its broker
   * with {@link #shutdown}.
   */
  public DefaultPublisher(
      PublisherOptions options,
      Map<String, String> brokerDefaults,
      MessageSink sink,
      Supplier<Health> brokerHealth,
      Runnable onClose,
      boolean shared) {
    this.shared = shared;
    this.options = Objects.requireNonNull(options, "options");
    this.brokerHealth = Objects.requireNonNull(brokerHealth, "brokerHealth");
    List<HealthContributor> found = new ArrayList<>();
    for (PublishMiddleware m : options.middlewares()) {
      if (m instanceof HealthContributor) {
        found.add((HealthContributor) m);
      }
    }
    this.contributors = List.copyOf(found);
    this.pipeline = new PublishPipeline(options, brokerDefaults, sink);
    this.onClose = Objects.requireNonNull(onClose, "onClose");
    this.async =
        new ThreadPoolExecutor(
            options.asyncConcurrency(),
            options.asyncConcurrency(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(options.asyncQueueCapacity()),
            new NamedThreadFactory("jqueue-publish-" + options.id()),
            (task, executor) -> {
              if (executor.isShutdown()) {
                ((AsyncPublish) task).fail(closedError());
              } else {
                task.run(); // back-pressure: the caller publishes itself
              }
            });
    this.async.allowCoreThreadTimeOut(true);
  }

  @Override
  public String id() {
    return options.id();
  }

  @Override
  public PublishReceipt publish(Message message) {
    return publish(message, options.publishTimeout());
  }

  @Override
  public PublishReceipt publish(Message message, Duration timeout) {
    Objects.requireNonNull(message, "message");
    return pipeline.publish(message, deadline(timeout));
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message) {
    Objects.requireNonNull(message, "message");
    if (closed.get()) {
      return CompletableFuture.failedFuture(closedError());
    }
    AsyncPublish task =
        new AsyncPublish(message, Saturating.deadlineAfter(options.publishTimeout()));
    async.execute(task);
    return task.future;
  }

  @Override
  public BatchResult publishAll(List<Message> messages) {
    Objects.requireNonNull(messages, "messages");
    Instant deadline = deadline(options.publishTimeout());
    // all started first (the broker's window bounds how many wait), then collected in order; on
    // the synchronous path each one completes before the next starts, as a loop of publish would
    List<CompletableFuture<PublishReceipt>> started = new ArrayList<>(messages.size());
    for (Message message : messages) {
      started.add(message == null ? null : track(pipeline.publishAsync(message, deadline)));
    }
    List<PublishOutcome> outcomes = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      if (message == null) {
        outcomes.add(
            new PublishOutcome(null, null, new ValidationException("batch holds a null message")));
        continue;
      }
      try {
        outcomes.add(new PublishOutcome(message, started.get(i).join(), null));
      } catch (RuntimeException e) {
        outcomes.add(new PublishOutcome(message, null, asJQueue(message, e)));
      }
    }
    return new BatchResult(outcomes);
  }

  /** The typed error of a failed publish of {@code message}; foreign ones are wrapped. */
  private static JQueueException asJQueue(Message message, Throwable error) {
    Throwable e = PublishPipeline.unwrap(error);
    if (e instanceof JQueueException) {
      return (JQueueException) e;
    }
    if (e instanceof Error) {
      throw (Error) e;
    }
    return new JQueueException("publish of " + message.id() + " failed", e);
  }

  /** Remembers {@code started} until it completes, so that closing can wait for it or fail it. */
  private CompletableFuture<PublishReceipt> track(CompletableFuture<PublishReceipt> started) {
    if (!started.isDone()) {
      inFlight.add(started);
      started.whenComplete((r, e) -> inFlight.remove(started));
    }
    return started;
  }

  /** Closes, unless this is a broker's shared publisher: that one closes with its broker. */
  @Override
  public void close(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (!shared) {
      shutdown(timeout);
    }
  }

  /**
   * Stops intake, waits up to {@code timeout} for queued async publishes to start and for the
   * publishes under way to be confirmed, then fails the rest.
   */
  public void shutdown(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = Saturating.add(System.nanoTime(), Math.max(0, Saturating.toNanos(timeout)));
    try {
      async.shutdown();
      if (!async.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        for (Runnable pending : async.shutdownNow()) {
          ((AsyncPublish) pending).fail(closedError());
        }
      }
      awaitInFlight(deadline);
    } catch (InterruptedException e) {
      for (Runnable pending : async.shutdownNow()) {
        ((AsyncPublish) pending).fail(closedError());
      }
      Thread.currentThread().interrupt();
    } finally {
      failInFlight();
      onClose.run();
    }
  }

  private void awaitInFlight(long deadline) throws InterruptedException {
    CompletableFuture<?> all =
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture<?>[]::new));
    try {
      all.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // a failed publish is its caller's news; what is still pending is failed next
    }
  }

  /** Fails every publish still waiting for the broker: no caller waits past close for it. */
  private void failInFlight() {
    for (CompletableFuture<PublishReceipt> f : List.copyOf(inFlight)) {
      f.completeExceptionally(
          new BrokerClosedException(
              "publisher '"
                  + options.id()
                  + "' closed before the broker confirmed the message; it may or may not have been"
                  + " accepted: publish it again if it must arrive"));
    }
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public Health health() {
    Health h =
        closed.get() ? Health.down("publisher '" + options.id() + "' is closed") : Health.up();
    h = h.and(brokerHealth.get());
    for (HealthContributor c : contributors) {
      h = h.and(healthOf(c));
    }
    return h;
  }

  /** A contributor's health; one that fails to say is DEGRADED rather than breaking the check. */
  private static Health healthOf(HealthContributor c) {
    try {
      Health h = c.health();
      if (h != null) {
        return h;
      }
      return Health.degraded("middleware " + nameOf(c) + " reported no health (null)");
    } catch (RuntimeException e) {
      return Health.degraded(
          "middleware " + nameOf(c) + " could not report its health: " + e.getClass().getName());
    }
  }

  private static String nameOf(HealthContributor c) {
    try {
      return ((PublishMiddleware) c).name();
    } catch (RuntimeException e) {
      return c.getClass().getName();
    }
  }

  private Instant deadline(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (closed.get()) {
      throw closedError();
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ValidationException("publish timeout must be positive, got " + timeout);
    }
    return Saturating.deadlineAfter(timeout);
  }

  private BrokerClosedException closedError() {
    return new BrokerClosedException(
        "publisher '" + options.id() + "' is closed; the message was not published");
  }

  @Override
  public String toString() {
    return "Publisher{" + options.id() + (closed.get() ? ", closed" : "") + '}';
  }

  /** One queued asynchronous publish and the future its caller holds. */
  private final class AsyncPublish implements Runnable {
    final Message message;
    final Instant deadline;
    final CompletableFuture<PublishReceipt> future = new CompletableFuture<>();

    AsyncPublish(Message message, Instant deadline) {
      this.message = message;
      this.deadline = deadline;
    }

    /** Starts the publish; on a pipelined chain it returns before the broker confirms it. */
    @Override
    public void run() {
      CompletableFuture<PublishReceipt> started;
      try {
        started = track(pipeline.publishAsync(message, deadline));
      } catch (Throwable e) {
        future.completeExceptionally(e);
        if (e instanceof VirtualMachineError) {
          throw (VirtualMachineError) e;
        }
        return;
      }
      started.whenComplete(
          (receipt, error) -> {
            if (error == null) {
              future.complete(receipt);
            } else {
              future.completeExceptionally(PublishPipeline.unwrap(error));
            }
          });
    }

    void fail(JQueueException e) {
      future.completeExceptionally(e);
    }
  }
}
