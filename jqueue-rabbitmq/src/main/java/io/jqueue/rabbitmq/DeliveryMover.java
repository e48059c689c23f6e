package io.jqueue.rabbitmq;

import io.jqueue.internal.Errors;
import io.jqueue.spi.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what the queue's {@link io.jqueue.spi.AttemptRule} decided once a {@link
 * RabbitDelivery} ended: a confirmed republish for the next attempt (into a delay queue, back into
 * the queue, or back into a dead-letter queue), an in-process retry for ordered queues, a confirmed
 * move into the dead-letter queue, or a nack; the original is acked only once its copy is
 * confirmed. A move that fails is tried again in the background with growing pauses until it
 * succeeds or the channel drops (RabbitMQ then delivers the original again).
 */
final class DeliveryMover {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitDelivery.class);
  private static final long FIRST_PAUSE_MS = 1_000;
  private static final long LONGEST_PAUSE_MS = 30_000;

  private final RabbitDelivery d;

  DeliveryMover(RabbitDelivery d) {
    this.d = d;
  }

  /**
   * Carries out what the queue's rule decided once this delivery ended: {@code ackNow} false leaves
   * the ack of the original until the handler returns; {@code by} bounds the move (null: the usual
   * operation timeout).
   */
  void carryOut(Decision decision, boolean ackNow, Instant by) {
    if (decision instanceof Decision.DeadLetter dead) {
      d.queue.forgetAttempts(d.message().id());
      persistDeadLetter(
          () -> {
            d.ctx
                .moves()
                .deadLetter(
                    d.queue,
                    d.props,
                    d.body,
                    dead.reason(),
                    dead.error(),
                    dead.detail(),
                    d.attempt,
                    by != null ? by : d.ctx.moves().deadline());
            ackOriginal(ackNow);
          });
    } else if (decision instanceof Decision.RetryAfter retry) {
      d.queue.retried.increment();
      again(retry.delay(), ackNow, by);
    } else if (((Decision.Release) decision).counted()) {
      d.queue.retried.increment();
      again(Duration.ZERO, ackNow, by);
    } else {
      returnUncounted(d.attempt - 1);
    }
  }

  /**
   * The message's own TTL ran out before a handler got it: expired as the queue's policy says, then
   * the original acked; a move that fails is tried again like any other.
   */
  void expire() {
    d.queue.forgetAttempts(d.message().id());
    persist(
        "expire",
        null,
        () -> {
          String why = "its TTL ran out before delivery";
          d.ctx
              .moves()
              .expire(d.queue, d.props, d.body, d.attempt - 1, why, d.ctx.moves().deadline());
          ackOriginal(true);
        });
  }

  void again(Duration delay, boolean ackNow, Instant by) {
    switch (d.ctx.mode()) {
      case IN_PROCESS:
        // the partition stays blocked (prefetch 1) until this message is done: order holds.
        // The count is kept at once: if the channel closes during the backoff, RabbitMQ hands
        // the unacked message to another consumer, which must go on from here.
        d.queue.rememberAttempts(d.message().id(), d.attempt);
        afterBackoff(delay, () -> d.ctx.runAgain().accept(d.nextAttempt()));
        return;
      case DEAD_LETTER_QUEUE:
        afterBackoff(
            delay,
            () ->
                persist(
                    "return to its dead-letter queue",
                    null,
                    () -> {
                      d.ctx
                          .moves()
                          .backIntoDeadLetterQueue(
                              d.queue, d.props, d.body, d.attempt, d.ctx.moves().deadline());
                      ackOriginal(false);
                    }));
        return;
      default:
        persist(
            "retry",
            d.queue.retried,
            () -> {
              d.ctx
                  .moves()
                  .retry(
                      d.queue,
                      d.props,
                      d.body,
                      d.attempt,
                      delay,
                      by != null ? by : d.ctx.moves().deadline());
              ackOriginal(ackNow);
            });
    }
  }

  /**
   * {@link #persist}s a move into the dead-letter queue, each try counted as dead-lettered while it
   * runs and after it succeeds, so the count never lags a dead letter in the DLQ and stats can wait
   * for the tries under way before they read the DLQ depth.
   */
  private void persistDeadLetter(Runnable move) {
    persist(
        "dead-letter",
        null,
        () -> {
          long ticket = d.queue.deadLetterMoveStarts();
          boolean arrived = false;
          try {
            move.run();
            arrived = true;
          } finally {
            d.queue.deadLetterMoveEnds(ticket, arrived);
          }
        });
  }

  /**
   * Runs {@code move} (a confirmed republish and the ack after it). If it fails, the original stays
   * unacked and the move is tried again in the background until it succeeds or the channel drops;
   * then {@code counted} (incremented by the caller) is taken back.
   */
  private void persist(String what, LongAdder counted, Runnable move) {
    try {
      move.run();
    } catch (RuntimeException e) {
      LOG.warn(
          "could not {} message {} of '{}' ({}); it stays unacked and jqueue tries again",
          what,
          d.message().id(),
          d.queue.name,
          Errors.describe(e));
      retryMove(what, counted, move, FIRST_PAUSE_MS);
    }
  }

  private void retryMove(String what, LongAdder counted, Runnable move, long pauseMs) {
    afterPause(
        pauseMs,
        () -> {
          if (d.ctx.channel().epoch() != d.epoch) {
            if (counted != null) {
              counted.decrement();
            }
            LOG.info(
                "gave up moving message {} of '{}': its channel closed, so RabbitMQ delivers it"
                    + " again",
                d.message().id(),
                d.queue.name);
            return;
          }
          try {
            move.run();
          } catch (RuntimeException e) {
            retryMove(what, counted, move, Math.min(pauseMs * 2, LONGEST_PAUSE_MS));
          }
        });
  }

  /**
   * Runs {@code task} on the work executor once {@code delay} passed on the broker's clock: a
   * backoff this client decides. No delay runs it at once (a manual clock would otherwise hold it
   * until it next moves).
   */
  private void afterBackoff(Duration delay, Runnable task) {
    if (delay.isNegative() || delay.isZero()) {
      runOnWorker(task);
      return;
    }
    try {
      d.ctx.clock().schedule(delay, () -> runOnWorker(task));
    } catch (RejectedExecutionException e) {
      // the broker is closing: RabbitMQ returns the unacked original when the channel closes
    }
  }

  /**
   * Runs {@code task} on the work executor after a pause in real time, not on the clock: it paces a
   * move that failed on the wire (connection blocked or down), which no clock may hold up.
   */
  private void afterPause(long millis, Runnable task) {
    try {
      d.ctx.timer().schedule(() -> runOnWorker(task), millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the broker is closing: RabbitMQ returns the unacked original when the channel closes
    }
  }

  void runOnWorker(Runnable task) {
    try {
      d.ctx.work().execute(task);
    } catch (RejectedExecutionException e) {
      // the broker is closing: RabbitMQ returns the unacked original when the channel closes
    }
  }

  void ackOriginal(boolean now) {
    if (!now) {
      synchronized (d) {
        if (d.runner != null) {
          d.afterHandler = () -> d.ctx.channel().ack(d.tag, d.epoch);
          return;
        }
      }
    }
    d.ctx.channel().ack(d.tag, d.epoch);
  }

  void returnUncounted(int attemptsMade) {
    if (d.ctx.mode() == RabbitDelivery.Mode.IN_PROCESS) {
      d.queue.rememberAttempts(d.message().id(), attemptsMade);
    }
    d.ctx.channel().nack(d.tag, d.epoch, true);
  }
}
