package io.jqueue.rabbitmq;

import io.jqueue.BrokerClosedException;
import io.jqueue.PublishTimeoutException;
import io.jqueue.internal.NamedThreadFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes without waiting for the confirm: the message is written on a pooled channel (the caller
 * waits only for a channel and for room in its confirm window, never past the deadline: that is the
 * back-pressure), the channel goes back to the pool at once, and the future completes from the
 * confirm. Only RabbitMQ's ack completes it normally; every other outcome follows the {@link
 * PublishAttempts} rules, as a synchronous publish does.
 *
 * <p>The confirm listeners run on the connection's thread, which must never wait: they only hand
 * each outcome on. An ack, a return or a refusal completes the future on the completion thread, in
 * the order the confirms came. A message to try again (its channel closed with the connection, or a
 * {@code BLOCK} queue was full) is written again by the retry thread after the rules' pause, and
 * awaits its confirm like the first time: a window of messages cut off by a connection loss goes
 * out again as a window once the connection is back. Both threads are this sender's own, ended by
 * {@link #close}, which fails what they did not get to.
 */
final class PipelinedSender implements AutoCloseable {
  private final Sender sender;
  private final AmqpUri endpoint;
  private final ThreadPoolExecutor completions;
  private final ScheduledThreadPoolExecutor retries;
  private final Map<CompletableFuture<Void>, AmqpPublish> awaitingRetry = new ConcurrentHashMap<>();
  private final Queue<Runnable> toComplete = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicInteger unconfirmed = new AtomicInteger();
  private final AtomicInteger peakUnconfirmed = new AtomicInteger();

  PipelinedSender(Sender sender, AmqpUri endpoint) {
    this.sender = sender;
    this.endpoint = endpoint;
    // unbounded, bounded in fact: at most one task per unconfirmed publish
    this.completions =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new NamedThreadFactory("jqueue-rabbitmq-confirms"));
    this.completions.allowCoreThreadTimeOut(true);
    this.retries =
        new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("jqueue-rabbitmq-retry"));
  }

  /**
   * Writes {@code p} and returns the future of its confirm: it completes normally only when
   * RabbitMQ acked it, else with the error {@link Sender#send(AmqpPublish, Instant)} would throw.
   * The messages one thread sends go out on one channel, in order. While no channel is open (the
   * connection recovers) the caller waits, as {@code send} would: back-pressure, not a backlog.
   */
  CompletableFuture<Void> send(AmqpPublish p, Instant deadline) {
    PublishAttempts attempts = null;
    try {
      while (true) {
        sender.awaitUnblocked(deadline);
        PublishChannel.Pending pending = sender.write(p, deadline, true);
        if (pending != null) {
          CompletableFuture<Void> result = new CompletableFuture<>();
          watch(p, deadline, attempts, pending, result);
          return result;
        }
        if (attempts == null) {
          attempts = new PublishAttempts(p, deadline, endpoint, false);
        }
        attempts.pause(attempts.after(PublishChannel.Outcome.CHANNEL_CLOSED));
      }
    } catch (PublishTimeoutException e) {
      return CompletableFuture.failedFuture(attempts == null ? e : attempts.timedOut(e));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void watch(
      AmqpPublish p,
      Instant deadline,
      PublishAttempts attempts,
      PublishChannel.Pending pending,
      CompletableFuture<Void> result) {
    peakUnconfirmed.accumulateAndGet(unconfirmed.incrementAndGet(), Math::max);
    pending.outcome.whenComplete(
        (outcome, error) -> {
          unconfirmed.decrementAndGet();
          settle(p, deadline, attempts, outcome, result);
        });
  }

  /** Hands an outcome on; runs on the connection's thread, so it never waits. */
  private void settle(
      AmqpPublish p,
      Instant deadline,
      PublishAttempts attempts,
      PublishChannel.Outcome outcome,
      CompletableFuture<Void> result) {
    if (outcome == PublishChannel.Outcome.ACKED) {
      complete(() -> result.complete(null));
      return;
    }
    PublishAttempts rules =
        attempts != null ? attempts : new PublishAttempts(p, deadline, endpoint, true);
    Duration wait;
    try {
      wait = rules.after(outcome == null ? PublishChannel.Outcome.CHANNEL_CLOSED : outcome);
    } catch (RuntimeException e) {
      complete(() -> result.completeExceptionally(e));
      return;
    }
    awaitingRetry.put(result, p);
    try {
      retries.schedule(
          () -> retry(p, deadline, rules, result), wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) { // closed: it cannot be sent again
      awaitingRetry.remove(result);
      result.completeExceptionally(closed(p));
    }
  }

  /** Writes {@code p} again, on the retry thread: it may wait for a channel or window room. */
  private void retry(
      AmqpPublish p, Instant deadline, PublishAttempts rules, CompletableFuture<Void> result) {
    if (awaitingRetry.remove(result) == null) {
      return; // failed by close meanwhile
    }
    PublishChannel.Pending pending;
    try {
      sender.awaitUnblocked(deadline);
      pending = sender.write(p, deadline, false);
    } catch (PublishTimeoutException e) {
      result.completeExceptionally(rules.timedOut(e));
      return;
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    if (pending == null) { // still no channel: the connection is recovering
      settle(p, deadline, rules, PublishChannel.Outcome.CHANNEL_CLOSED, result);
    } else {
      watch(p, deadline, rules, pending, result);
    }
  }

  /**
   * Runs {@code completion} on the completion thread after those handed on before it. One task
   * drains what has piled up, so a confirm of many messages wakes that thread once.
   */
  private void complete(Runnable completion) {
    toComplete.add(completion);
    if (draining.compareAndSet(false, true)) {
      try {
        completions.execute(this::drain);
      } catch (RejectedExecutionException e) { // closing: the outcomes are known, tell them here
        drain();
      }
    }
  }

  private void drain() {
    do {
      Runnable next;
      while ((next = toComplete.poll()) != null) {
        next.run(); // completes a future: what its callers chained to it cannot throw out of it
      }
      draining.set(false);
    } while (!toComplete.isEmpty() && draining.compareAndSet(false, true));
  }

  private static BrokerClosedException closed(AmqpPublish p) {
    return new BrokerClosedException(
        "the RabbitMQ broker closed while message "
            + p.props().getMessageId()
            + " waited to be sent again; it may or may not have been enqueued");
  }

  /** Messages written and not yet confirmed (or refused), for tests. */
  int unconfirmed() {
    return unconfirmed.get();
  }

  /** The most messages ever written and not yet confirmed at once, for tests. */
  int peakUnconfirmed() {
    return peakUnconfirmed.get();
  }

  /**
   * Stops both threads: completions already handed on still run (later ones run on the thread that
   * has them), messages waiting to be sent again fail. Call after the connections closed, so that
   * nothing is left waiting for a confirm.
   */
  @Override
  public void close() {
    completions.shutdown();
    retries.shutdownNow();
    awaitingRetry.forEach(
        (waiting, p) -> {
          if (awaitingRetry.remove(waiting) != null) {
            waiting.completeExceptionally(closed(p));
          }
        });
  }
}
