package io.jqueue.embedded;

import io.jqueue.ConsumerOptions;
import io.jqueue.MessageHandler;
import io.jqueue.SubscriberStats;
import io.jqueue.Subscription;
import io.jqueue.internal.ConsumePipeline;
import io.jqueue.internal.NamedThreadFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push consumer of an embedded queue. The queue leases it up to {@code prefetch} messages; up to
 * {@code concurrency} run at once on the executor and the rest wait in a local buffer. A worker
 * keeps taking buffered messages until the buffer is empty.
 */
final class LocalConsumer implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(LocalConsumer.class);

  private final EmbeddedQueue queue;
  private final ConsumerOptions options;
  private final ConsumePipeline pipeline;
  private final Executor executor;
  private final ExecutorService ownExecutor;
  private final Runnable onClosed;
  final int prefetch;

  /** Messages leased to this consumer and not yet done; guarded by the queue lock. */
  int held;

  private final ArrayDeque<Lease> buffer = new ArrayDeque<>();
  private final Set<Lease> running = new HashSet<>();
  private int workers;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;
  private final LongAdder processed = new LongAdder();
  private final LongAdder errors = new LongAdder();

  LocalConsumer(
      EmbeddedQueue queue, ConsumerOptions options, MessageHandler handler, Runnable onClosed) {
    this.queue = queue;
    this.options = options;
    this.pipeline = new ConsumePipeline(options.middlewares(), handler);
    this.prefetch = options.prefetch();
    this.onClosed = onClosed;
    if (options.executor().isPresent()) {
      this.executor = options.executor().get();
      this.ownExecutor = null;
    } else {
      this.ownExecutor =
          Executors.newFixedThreadPool(
              options.concurrency(),
              new NamedThreadFactory("jqueue-" + queue.name() + "-" + options.id()));
      this.executor = ownExecutor;
    }
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
    return !closing.get();
  }

  /** Takes a leased message: runs it now if a worker is free, else buffers it. */
  void accept(Lease lease) {
    boolean startWorker = false;
    boolean refuse = false;
    synchronized (this) {
      if (closing.get()) {
        refuse = true; // handed over just as the consumer began closing
      } else if (workers < options.concurrency()) {
        workers++;
        startWorker = true;
      } else {
        buffer.addLast(lease);
      }
    }
    if (refuse) {
      queue.release(lease);
      queue.consumerDone(this);
    } else if (startWorker) {
      startWorker(lease);
    }
  }

  private void startWorker(Lease first) {
    try {
      executor.execute(() -> work(first));
    } catch (RejectedExecutionException e) {
      // An executor that refuses once will refuse again: stop taking messages (so they go to
      // other consumers instead of bouncing back here) and return this one to the queue.
      LOG.error(
          "the executor of consumer '{}' on '{}' refused a handler task; the consumer stops"
              + " taking messages and the message returns to the queue",
          id(),
          queue(),
          e);
      synchronized (this) {
        workers--;
        notifyAll();
      }
      stopIntake();
      queue.release(first);
      queue.consumerDone(this);
    }
  }

  private void work(Lease first) {
    Lease lease = first;
    while (lease != null) {
      runOne(lease);
      synchronized (this) {
        lease = buffer.pollFirst();
        if (lease == null) {
          workers--;
          notifyAll();
        }
      }
    }
  }

  private void runOne(Lease lease) {
    try {
      if (!queue.isActive(lease)) {
        return; // its lease ended while it waited in the buffer
      }
      synchronized (this) {
        running.add(lease);
      }
      lease.bindRunner(Thread.currentThread());
      try {
        EmbeddedDelivery delivery = new EmbeddedDelivery(queue, lease, options.codec(), id());
        switch (pipeline.run(delivery)) {
          case HANDLED -> processed.increment();
          default -> errors.increment();
        }
      } finally {
        lease.unbindRunner();
        synchronized (this) {
          running.remove(lease);
        }
      }
    } finally {
      queue.consumerDone(this);
    }
  }

  SubscriberStats stats() {
    int holding;
    synchronized (this) {
      holding = buffer.size() + running.size();
    }
    return new SubscriberStats(id(), processed.sum(), errors.sum(), holding);
  }

  @Override
  public void close(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    stopIntake();
    finish(deadline);
  }

  /** Takes no more messages and returns the buffered ones to the queue. */
  void stopIntake() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    queue.removeConsumer(this);
    List<Lease> drained;
    synchronized (this) {
      drained = new ArrayList<>(buffer);
      buffer.clear();
    }
    for (Lease lease : drained) {
      queue.release(lease);
      queue.consumerDone(this);
    }
  }

  /**
   * Waits until {@code deadline} for running handlers, then returns the messages of those still
   * running to the queue and interrupts them; stops the consumer's own threads.
   */
  void finish(Instant deadline) {
    List<Lease> unfinished;
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        long left;
        while (workers > 0 && (left = Duration.between(Instant.now(), deadline).toMillis()) > 0) {
          wait(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      unfinished = new ArrayList<>(running);
      closed = true;
    }
    for (Lease lease : unfinished) {
      if (queue.release(lease)) {
        LOG.warn(
            "consumer '{}' closed while handling message {} of '{}'; returned it to the queue",
            id(),
            lease.envelope.message.id(),
            queue());
      }
      lease.interruptRunner();
    }
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
      try {
        ownExecutor.awaitTermination(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    onClosed.run();
  }

  @Override
  public String toString() {
    return "Subscription{" + id() + " on " + queue() + '}';
  }
}
