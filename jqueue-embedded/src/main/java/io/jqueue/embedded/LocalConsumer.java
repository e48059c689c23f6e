package io.jqueue.embedded;

import io.jqueue.ConsumerOptions;
import io.jqueue.MessageHandler;
import io.jqueue.SubscriberStats;
import io.jqueue.Subscription;
import io.jqueue.internal.ConsumePipeline;
import io.jqueue.internal.ConsumerThreads;
import io.jqueue.internal.HandlerWorkers;
import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push consumer of an embedded queue. The queue leases it up to {@code prefetch} messages; {@link
 * HandlerWorkers} runs up to {@code concurrency} of them at once and buffers the rest.
 */
final class LocalConsumer implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(LocalConsumer.class);

  private final EmbeddedQueue queue;
  private final ConsumerOptions options;
  private final ConsumePipeline pipeline;
  private final HandlerWorkers<Lease> workers;
  private final ExecutorService ownExecutor;
  private final Runnable onClosed;
  final int prefetch;

  /** Messages leased to this consumer and not yet done; guarded by the queue lock. */
  int held;

  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile boolean closed;
  private final LongAdder processed = new LongAdder();
  private final LongAdder errors = new LongAdder();

  LocalConsumer(
      EmbeddedQueue queue, ConsumerOptions options, MessageHandler handler, Runnable onClosed) {
    this.queue = queue;
    this.options = options;
    this.pipeline =
        new ConsumePipeline(
            options.middlewares(),
            handler,
            result -> (result == ConsumePipeline.Result.HANDLED ? processed : errors).increment());
    this.prefetch = options.prefetch();
    this.onClosed = onClosed;
    this.ownExecutor = ConsumerThreads.ownExecutor(options, queue.name());
    this.workers =
        new HandlerWorkers<>(
            options.concurrency(),
            options.executor().orElse(ownExecutor),
            this::runOne,
            this::refused);
  }

  void start() {
    queue.addConsumer(this);
  }

  @Override
  public String id() {
    return options.id();
  }

  @Override
  public String queue() {
    return queue.name();
  }

  @Override
  public boolean isActive() {
    return !closing.get() && !workers.isClosed();
  }

  /** Takes a leased message; hands it back when this consumer is closing. */
  void accept(Lease lease) {
    if (!workers.offer(lease)) {
      giveBack(lease);
    }
  }

  /** The executor refused work: stop taking messages so they go to other consumers. */
  private void refused(Lease lease) {
    stopIntake();
    giveBack(lease);
  }

  private void giveBack(Lease lease) {
    queue.release(lease);
    queue.consumerDone(this);
  }

  private void runOne(Lease lease) {
    try {
      if (closed || !queue.begin(lease, Thread.currentThread())) {
        if (closed) {
          queue.release(lease); // reached a worker only after close: not an attempt
        }
        return; // or its lease ended while it waited
      }
      try {
        EmbeddedDelivery delivery = new EmbeddedDelivery(queue, lease, options.codec(), id());
        pipeline.run(delivery);
      } finally {
        lease.unbindRunner();
      }
    } finally {
      queue.consumerDone(this);
    }
  }

  SubscriberStats stats() {
    return new SubscriberStats(id(), processed.sum(), errors.sum(), workers.holding());
  }

  @Override
  public void close(Duration timeout) {
    Instant deadline = Saturating.deadlineAfter(timeout);
    stopIntake();
    finish(deadline);
  }

  /** Takes no more messages and returns the buffered ones to the queue. */
  void stopIntake() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    queue.removeConsumer(this);
    for (Lease lease : workers.close()) {
      giveBack(lease);
    }
  }

  /**
   * Waits until {@code deadline} for running handlers, then returns the messages of those still
   * running to the queue and interrupts them; stops the consumer's own threads.
   */
  void finish(Instant deadline) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    List<Lease> unfinished = workers.awaitIdle(deadline);
    closed = true;
    for (Lease lease : unfinished) {
      if (queue.release(lease)) {
        LOG.warn(
            "consumer '{}' closed before message {} of '{}' was handled; returned it to the queue",
            id(),
            lease.envelope.message.id(),
            queue());
      }
      lease.interruptRunner();
    }
    ConsumerThreads.stop(ownExecutor);
    onClosed.run();
  }

  @Override
  public String toString() {
    return "Subscription{" + id() + " on " + queue() + '}';
  }
}
