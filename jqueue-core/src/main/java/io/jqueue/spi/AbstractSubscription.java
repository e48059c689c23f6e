package io.jqueue.spi;

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

/**
 * What every broker's push subscription does the same way: run the consume pipeline for each item
 * on {@link HandlerWorkers} ({@code concurrency} at once, the rest buffered), count what was
 * handled and what failed, and close in two steps, first intake (buffered items go back uncounted),
 * then the running handlers up to a deadline. A broker supplies how an item begins, goes back and
 * finishes. Thread-safe.
 *
 * @param <T> what the broker hands its subscription: a lease, a delivery
 */
public abstract class AbstractSubscription<T> implements Subscription {
  private final String queue;
  private final ConsumerOptions options;
  private final ConsumePipeline pipeline;
  private final HandlerWorkers<T> workers;
  private final ExecutorService ownExecutor;
  private final Runnable onClosed;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile boolean closed;
  private final LongAdder processed = new LongAdder();
  private final LongAdder errors = new LongAdder();

  /**
   * A subscription of {@code queue} running {@code handler} inside the consumer's middlewares;
   * {@code onClosed} runs once it has closed.
   */
  protected AbstractSubscription(
      String queue, ConsumerOptions options, MessageHandler handler, Runnable onClosed) {
    this.queue = queue;
    this.options = options;
    this.onClosed = onClosed;
    this.pipeline =
        new ConsumePipeline(
            options.middlewares(),
            handler,
            result -> (result == ConsumePipeline.Result.HANDLED ? processed : errors).increment());
    this.ownExecutor = ConsumerThreads.ownExecutor(options, queue);
    this.workers =
        new HandlerWorkers<>(
            options.concurrency(),
            options.executor().orElse(ownExecutor),
            this::runOne,
            this::refused);
  }

  // ---- hooks ---------------------------------------------------------------------------------

  /**
   * A handler is about to run {@code item}: its lease starts, or the item is not run ({@code null})
   * because its lease ended while it waited.
   */
  protected abstract InternalDelivery begin(T item);

  /** {@code item} was not run (it ended while it waited, or was skipped): its bookkeeping. */
  protected abstract void skipped(T item);

  /** The handler of {@code item} returned or threw: its bookkeeping after the outcome. */
  protected abstract void handled(T item);

  /** {@code item} will not run: it goes back to its queue uncounted. */
  protected abstract void giveBack(T item);

  /**
   * Starts taking items from the broker; called once, after the subscription was registered.
   *
   * @throws RuntimeException when the broker refuses (the subscription is then closed)
   */
  protected abstract void start();

  /** Stops the broker handing this subscription more items. */
  protected abstract void stopTaking();

  /**
   * After the running handlers had until the deadline: gives back what is still unfinished
   * (interrupting its handler) and releases the subscription's own resources.
   */
  protected abstract void releaseUnfinished(List<T> unfinished);

  // ---- the subscription ----------------------------------------------------------------------

  @Override
  public final String id() {
    return options.id();
  }

  @Override
  public final String queue() {
    return queue;
  }

  /** The consumer options. */
  protected final ConsumerOptions options() {
    return options;
  }

  @Override
  public final boolean isActive() {
    return !closing.get() && !workers.isClosed();
  }

  /** Takes {@code item} to run; gives it back at once when this subscription is closing. */
  protected final void offer(T item) {
    if (!workers.offer(item)) {
      giveBack(item);
    }
  }

  /** The executor refused work: stop taking items so they go to other consumers. */
  private void refused(T item) {
    stopIntake();
    giveBack(item);
  }

  private void runOne(T item) {
    if (closed) {
      giveBack(item); // reached a worker only after close: not an attempt
      return;
    }
    InternalDelivery delivery = begin(item);
    if (delivery == null) {
      skipped(item);
      return;
    }
    try {
      pipeline.run(delivery);
    } finally {
      handled(item);
    }
  }

  /** This subscription's figures. */
  public final SubscriberStats stats() {
    return new SubscriberStats(id(), processed.sum(), errors.sum(), workers.holding());
  }

  @Override
  public final void close(Duration timeout) {
    Instant deadline = Saturating.deadlineAfter(timeout);
    stopIntake();
    finish(deadline);
  }

  /** Takes no more items and gives the buffered ones back. Idempotent. */
  public final void stopIntake() {
    if (closing.compareAndSet(false, true)) {
      stopTaking();
      workers.close().forEach(this::giveBack);
    }
  }

  /** The broker stopped handing out items by itself: gives the buffered ones back. */
  protected final void intakeEnded() {
    if (closing.compareAndSet(false, true)) {
      workers.close().forEach(this::giveBack);
    }
  }

  /**
   * Waits until {@code deadline} for running handlers, then lets the broker give back what is
   * unfinished, stops the subscription's own threads and reports it closed. Idempotent.
   */
  public final void finish(Instant deadline) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    List<T> unfinished = workers.awaitIdle(deadline);
    closed = true;
    releaseUnfinished(unfinished);
    ConsumerThreads.stop(ownExecutor);
    onClosed.run();
  }

  /** Stops the subscription's own threads, for a broker whose subscription failed to open. */
  protected final void abandon() {
    ConsumerThreads.stop(ownExecutor);
  }

  @Override
  public String toString() {
    return "Subscription{" + id() + " on " + queue + '}';
  }
}
