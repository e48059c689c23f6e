package io.jqueue.middleware;

import io.jqueue.ConsumeChain;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.Delivery;
import io.jqueue.JQueueException;
import io.jqueue.ValidationException;
import io.jqueue.internal.NamedThreadFactory;
import io.jqueue.time.SystemTimeSource;
import io.jqueue.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long a handler may run: when it is still running after {@code timeout}, its attempt
 * fails at once with a {@link TimeoutException} (retried or dead-lettered as the queue's rule says)
 * and the handler thread is interrupted. What the handler does afterwards no longer counts. Keep it
 * shorter than the queue's visibility timeout, which bounds every attempt anyway.
 *
 * <p>The timers run on one shared daemon thread unless a {@link TimeSource} is given. Pulled
 * deliveries are handed to the caller at once, so no timeout applies to them.
 */
public final class HandlerTimeout implements ConsumeMiddleware {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerTimeout.class);

  private final Duration timeout;
  private final TimeSource time;

  private HandlerTimeout(Duration timeout, TimeSource time) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(1)) > 0) {
      throw new ValidationException("handler timeout must be positive and at most 1 day");
    }
    this.timeout = timeout;
    this.time = Objects.requireNonNull(time, "time");
  }

  /** Fails attempts whose handler runs longer than {@code timeout}. */
  public static HandlerTimeout of(Duration timeout) {
    return new HandlerTimeout(timeout, SharedTimer.INSTANCE);
  }

  /** {@link #of(Duration)} with timers on {@code time} (tests pass a manual clock). */
  public static HandlerTimeout of(Duration timeout, TimeSource time) {
    return new HandlerTimeout(timeout, time);
  }

  @Override
  public void handle(Delivery delivery, ConsumeChain chain) throws Exception {
    Run run = new Run(delivery, Thread.currentThread());
    TimeSource.Cancellable timer = time.schedule(timeout, () -> Expirer.POOL.execute(run::expire));
    try {
      chain.proceed(delivery);
    } finally {
      timer.cancel();
      run.finish();
    }
  }

  /** One handler run and its timer; the lock orders the timer's work against the return. */
  private final class Run {
    private final Delivery delivery;
    private final Thread handler;
    private boolean done;
    private boolean fired;

    Run(Delivery delivery, Thread handler) {
      this.delivery = delivery;
      this.handler = handler;
    }

    synchronized void expire() {
      if (done) {
        return;
      }
      fired = true;
      HandlerTimeout.this.expire(delivery); // recorded first, so a late return cannot ack it
      handler.interrupt();
    }

    synchronized void finish() {
      done = true;
      if (fired) {
        Thread.interrupted(); // the timeout's interrupt must not reach the next message
      }
    }
  }

  private void expire(Delivery delivery) {
    if (delivery.isSettled()) {
      return;
    }
    try {
      delivery.fail(new TimeoutException("the handler did not finish within " + timeout));
      LOG.warn(
          "handler of message {} in '{}' ran past its timeout of {}; attempt {} failed and the"
              + " handler was interrupted",
          delivery.message().id(),
          delivery.queue(),
          timeout,
          delivery.attempt());
    } catch (IllegalStateException | JQueueException e) {
      LOG.debug("message {} was settled meanwhile: {}", delivery.message().id(), e.toString());
    }
  }

  @Override
  public String name() {
    return "handler-timeout";
  }

  @Override
  public String toString() {
    return "HandlerTimeout{" + timeout + '}';
  }

  /** The timer thread every {@link #of(Duration)} shares, started on first use. */
  private static final class SharedTimer {
    static final TimeSource INSTANCE = new SystemTimeSource("handler-timeout");
  }

  /**
   * Where timed-out attempts are failed: recording a failure may wait for a broker confirm, which
   * must not hold up the timer thread. At most two daemon threads, gone when idle.
   */
  private static final class Expirer {
    static final ThreadPoolExecutor POOL = newPool();

    private static ThreadPoolExecutor newPool() {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              2,
              2,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              new NamedThreadFactory("jqueue-handler-timeout"));
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }
  }
}
