package io.jqueue.publishers;

import io.jqueue.BatchResult;
import io.jqueue.BrokerClosedException;
import io.jqueue.Health;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.PublishOutcome;
import io.jqueue.PublishReceipt;
import io.jqueue.PublishTimeoutException;
import io.jqueue.Publisher;
import io.jqueue.ValidationException;
import io.jqueue.internal.NamedThreadFactory;
import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Buffers messages and publishes them in batches through another publisher's {@code publishAll}: a
 * batch goes when {@code maxBatchSize} messages wait, or {@code flushInterval} after the oldest
 * arrived, or on {@link #flush}/{@link #close}. Unlike the seed's, every message gets its own
 * outcome: {@link #publishAsync} completes with the receipt or the error of that message, and
 * {@link #publish} returns only once the broker has it, so nothing is reported as sent that was
 * not, and {@link #close} publishes everything still buffered before it returns (what it cannot
 * publish in time fails with {@link BrokerClosedException}; nothing is dropped silently).
 *
 * <p>At most {@code maxBuffered} messages wait; a caller finding the buffer full waits for room up
 * to its timeout ({@link PublishTimeoutException}). One daemon thread flushes. Thread-safe.
 */
public final class BatchPublisher implements Publisher {
  private final String id;
  private final Publisher target;
  private final int maxBatchSize;
  private final int maxBuffered;
  private final Duration flushInterval;
  private final Duration publishTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition room = lock.newCondition();
  private final ArrayDeque<Pending> buffer = new ArrayDeque<>();
  private final ScheduledExecutorService flusher;
  private boolean closed; // by lock
  private boolean flushScheduled; // by lock

  private record Pending(Message message, CompletableFuture<PublishReceipt> result) {}

  private BatchPublisher(Builder b) {
    this.id = b.id;
    this.target = b.target;
    this.maxBatchSize = b.maxBatchSize;
    this.maxBuffered = b.maxBuffered;
    this.flushInterval = b.flushInterval;
    this.publishTimeout = b.publishTimeout;
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("jqueue-batch-" + id));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close flushes at once
    this.flusher = timer;
  }

  /** A builder for a batch publisher in front of {@code target}. */
  public static Builder builder(Publisher target) {
    return new Builder(target);
  }

  @Override
  public String id() {
    return id;
  }

  /** DOWN once closed; DEGRADED while the buffer is full (callers wait); else the target's. */
  @Override
  public Health health() {
    lock.lock();
    try {
      if (closed) {
        return Health.down("batch publisher '" + id + "' is closed");
      }
      if (buffer.size() >= maxBuffered) {
        return Health.degraded(
                "batch publisher '"
                    + id
                    + "' holds "
                    + maxBuffered
                    + " messages (full); callers wait")
            .and(target.health());
      }
    } finally {
      lock.unlock();
    }
    return target.health();
  }

  /** How many messages wait to be published. */
  public int buffered() {
    lock.lock();
    try {
      return buffer.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message) {
    return enqueue(message, Saturating.deadlineAfter(publishTimeout), publishTimeout);
  }

  @Override
  public PublishReceipt publish(Message message) {
    return publish(message, publishTimeout);
  }

  @Override
  public PublishReceipt publish(Message message, Duration timeout) {
    Instant deadline = Saturating.deadlineAfter(Objects.requireNonNull(timeout, "timeout"));
    return await(enqueue(message, deadline, timeout), message, deadline, timeout);
  }

  @Override
  public BatchResult publishAll(List<Message> messages) {
    Objects.requireNonNull(messages, "messages");
    Instant deadline = Saturating.deadlineAfter(publishTimeout);
    List<CompletableFuture<PublishReceipt>> futures = new ArrayList<>();
    for (Message m : messages) {
      futures.add(enqueue(m, deadline, publishTimeout));
    }
    List<PublishOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      try {
        outcomes.add(
            new PublishOutcome(m, await(futures.get(i), m, deadline, publishTimeout), null));
      } catch (JQueueException e) {
        outcomes.add(new PublishOutcome(m, null, e));
      }
    }
    return new BatchResult(outcomes);
  }

  /** Publishes what is buffered now, without waiting for a full batch or the interval. */
  public void flush() {
    flusher.execute(this::flushAll);
  }

  private CompletableFuture<PublishReceipt> enqueue(
      Message message, Instant deadline, Duration timeout) {
    if (message == null) {
      return CompletableFuture.failedFuture(new ValidationException("message must not be null"));
    }
    CompletableFuture<PublishReceipt> result = new CompletableFuture<>();
    lock.lock();
    try {
      while (!closed && buffer.size() >= maxBuffered) {
        long left = Saturating.nanosUntil(Instant.now(), deadline);
        if (left <= 0) {
          return CompletableFuture.failedFuture(
              new PublishTimeoutException(
                  "batch publisher '"
                      + id
                      + "' holds "
                      + maxBuffered
                      + " messages (maxBuffered) and had no room before the deadline",
                  timeout));
        }
        room.awaitNanos(left);
      }
      if (closed) {
        return CompletableFuture.failedFuture(closedError());
      }
      buffer.add(new Pending(message, result));
      if (buffer.size() >= maxBatchSize) {
        flusher.execute(this::flushAll);
      } else if (!flushScheduled) {
        flushScheduled = true;
        flusher.schedule(this::flushAll, Saturating.toNanos(flushInterval), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(
          new PublishTimeoutException(
              "interrupted while waiting for room in the batch buffer", timeout));
    } finally {
      lock.unlock();
    }
    return result;
  }

  /** Publishes batches until the buffer is empty; runs on the flusher thread only. */
  private void flushAll() {
    while (true) {
      List<Pending> batch = new ArrayList<>();
      lock.lock();
      try {
        flushScheduled = false;
        while (batch.size() < maxBatchSize && !buffer.isEmpty()) {
          batch.add(buffer.poll());
        }
        room.signalAll();
      } finally {
        lock.unlock();
      }
      if (batch.isEmpty()) {
        return;
      }
      send(batch);
    }
  }

  private void send(List<Pending> batch) {
    List<Message> messages = batch.stream().map(Pending::message).toList();
    try {
      List<PublishOutcome> outcomes = target.publishAll(messages).outcomes();
      for (int i = 0; i < batch.size(); i++) {
        PublishOutcome o = i < outcomes.size() ? outcomes.get(i) : null;
        CompletableFuture<PublishReceipt> f = batch.get(i).result;
        if (o == null) {
          f.completeExceptionally(new JQueueException("the target publisher gave no outcome"));
        } else if (o.succeeded()) {
          f.complete(o.receipt());
        } else {
          f.completeExceptionally(o.error());
        }
      }
    } catch (RuntimeException e) {
      JQueueException error =
          e instanceof JQueueException j
              ? j
              : new JQueueException("batch publish through " + target.id() + " failed: " + e, e);
      batch.forEach(p -> p.result.completeExceptionally(error));
    }
  }

  private PublishReceipt await(
      CompletableFuture<PublishReceipt> future,
      Message message,
      Instant deadline,
      Duration timeout) {
    try {
      long left = Math.max(1, Saturating.nanosUntil(Instant.now(), deadline));
      return future.get(left, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof JQueueException j) {
        throw j;
      }
      throw new JQueueException("publish of " + message.id() + " failed: " + cause, cause);
    } catch (TimeoutException e) {
      throw new PublishTimeoutException(
          "message "
              + message.id()
              + " waited in batch publisher '"
              + id
              + "' past the deadline;"
              + " it may still be published when its batch goes",
          timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishTimeoutException(
          "interrupted while waiting for message " + message.id() + " to be published", timeout);
    }
  }

  private BrokerClosedException closedError() {
    return new BrokerClosedException("batch publisher '" + id + "' is closed");
  }

  /**
   * Takes no more messages, publishes every buffered one (waiting up to {@code timeout}), then
   * fails what is still unpublished with {@link BrokerClosedException} and stops its thread. The
   * target publisher stays open. Idempotent.
   */
  @Override
  public void close(Duration timeout) {
    Instant deadline = Saturating.deadlineAfter(Objects.requireNonNull(timeout, "timeout"));
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      room.signalAll();
    } finally {
      lock.unlock();
    }
    flusher.execute(this::flushAll);
    flusher.shutdown();
    try {
      long left = Saturating.nanosUntil(Instant.now(), deadline);
      if (!flusher.awaitTermination(left, TimeUnit.NANOSECONDS)) {
        flusher.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      flusher.shutdownNow();
    }
    List<Pending> left = new ArrayList<>();
    lock.lock();
    try {
      left.addAll(buffer);
      buffer.clear();
    } finally {
      lock.unlock();
    }
    left.forEach(p -> p.result.completeExceptionally(closedError()));
  }

  @Override
  public String toString() {
    return "BatchPublisher{" + id + " -> " + target.id() + ", maxBatchSize=" + maxBatchSize + '}';
  }

  /** Builds a {@link BatchPublisher}; each setter validates its argument. */
  public static final class Builder {
    private final Publisher target;
    private String id;
    private int maxBatchSize = 100;
    private int maxBuffered = 10_000;
    private Duration flushInterval = Duration.ofMillis(100);
    private Duration publishTimeout = Duration.ofSeconds(30);

    private Builder(Publisher target) {
      this.target = Objects.requireNonNull(target, "target");
      this.id = "batch-" + target.id();
    }

    /** The publisher's id (default {@code batch-<target id>}). */
    public Builder id(String id) {
      if (id == null || id.isBlank()) {
        throw new ValidationException("id must not be blank");
      }
      this.id = id;
      return this;
    }

    /** A batch goes once this many messages wait (1–10000, default 100). */
    public Builder maxBatchSize(int size) {
      if (size < 1 || size > 10_000) {
        throw new ValidationException("maxBatchSize must be 1-10000, got " + size);
      }
      this.maxBatchSize = size;
      return this;
    }

    /** At most this many messages wait; callers wait for room beyond (default 10000). */
    public Builder maxBuffered(int max) {
      if (max < 1 || max > 10_000_000) {
        throw new ValidationException("maxBuffered must be 1-10000000, got " + max);
      }
      this.maxBuffered = max;
      return this;
    }

    /** A batch goes this long after its first message at the latest (1 ms–1 h, default 100 ms). */
    public Builder flushInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofMillis(1)) < 0
          || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new ValidationException("flushInterval must be 1ms-1h, got " + interval);
      }
      this.flushInterval = interval;
      return this;
    }

    /** How long {@link BatchPublisher#publish(Message)} waits (default 30 s). */
    public Builder publishTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new ValidationException("publishTimeout must be positive, got " + timeout);
      }
      this.publishTimeout = timeout;
      return this;
    }

    /** Builds the publisher and starts its flusher thread. */
    public BatchPublisher build() {
      if (maxBuffered < maxBatchSize) {
        throw new ValidationException(
            "maxBuffered ("
                + maxBuffered
                + ") must be at least maxBatchSize ("
                + maxBatchSize
                + ")");
      }
      return new BatchPublisher(this);
    }
  }
}
