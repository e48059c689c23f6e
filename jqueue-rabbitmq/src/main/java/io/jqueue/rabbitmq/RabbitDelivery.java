package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.jqueue.DeadLetterReason;
import io.jqueue.LeaseExpiredException;
import io.jqueue.ValidationException;
import io.jqueue.codec.Codec;
import io.jqueue.internal.AbstractDelivery;
import io.jqueue.internal.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery from RabbitMQ under a client-side lease of the queue's visibility timeout.
 *
 * <p>Outcomes: ack acks; a failure republishes the message for its next attempt (or into the
 * dead-letter queue) and acks the original only once RabbitMQ confirmed the copy. When the lease
 * ends first, the message is republished for its next attempt at once and the handler is
 * interrupted; the original stays unacked until that handler returns, so RabbitMQ does not hand a
 * consumer whose thread is still busy more work than its prefetch allows.
 */
final class RabbitDelivery extends AbstractDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitDelivery.class);

  enum State {
    ACTIVE,
    SETTLED,
    EXPIRED,
    RELEASED
  }

  /** How a failed message gets another attempt. */
  interface Redelivery {
    /**
     * Arranges attempt {@code d.attempt() + 1} after {@code delay}; returns whether the original
     * AMQP delivery is done with and may be acked.
     */
    boolean again(RabbitDelivery d, Duration delay);

    /** Whether the next attempt runs in this process and must wait for a running handler. */
    default boolean inProcess() {
      return false;
    }
  }

  private final QueueRuntime queue;
  private final AckChannel channel;
  private final long tag;
  private final int epoch;
  final AMQP.BasicProperties props;
  final byte[] body;
  private final int attempt;
  private final String consumerId;
  private final Moves moves;
  private final Redelivery redelivery;
  private final ScheduledExecutorService timer;
  private final boolean push;

  private State state = State.ACTIVE;
  private boolean started;
  private Thread runner;
  private Runnable afterHandler;
  private volatile Instant deadline;
  private ScheduledFuture<?> expiry;
  private int generation;

  RabbitDelivery(
      QueueRuntime queue,
      AckChannel channel,
      long tag,
      int epoch,
      AMQP.BasicProperties props,
      byte[] body,
      int attempt,
      String consumerId,
      Codec codec,
      Moves moves,
      Redelivery redelivery,
      ScheduledExecutorService timer,
      boolean push) {
    super(WireFormat.toMessage(queue.name, props, body), codec);
    this.queue = queue;
    this.channel = channel;
    this.tag = tag;
    this.epoch = epoch;
    this.props = props;
    this.body = body;
    this.attempt = attempt;
    this.consumerId = consumerId;
    this.moves = moves;
    this.redelivery = redelivery;
    this.timer = timer;
    this.push = push;
    queue.inFlight.incrementAndGet();
    synchronized (this) {
      Duration visibility = queue.spec.visibilityTimeout();
      deadline = Instant.now().plus(visibility);
      arm(visibility);
    }
  }

  /** The same AMQP delivery as the next attempt, for retries that stay in this process. */
  RabbitDelivery nextAttempt() {
    return new RabbitDelivery(
        queue,
        channel,
        tag,
        epoch,
        props,
        body,
        attempt + 1,
        consumerId,
        codec(),
        moves,
        redelivery,
        timer,
        push);
  }

  @Override
  public String queue() {
    return queue.name;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public int maxAttempts() {
    return queue.maxAttempts();
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public String consumerId() {
    return consumerId;
  }

  /**
   * A handler is about to run; false (do not run it) when the lease already ended, or when the
   * channel went down since the delivery (RabbitMQ delivers the message again).
   */
  synchronized boolean begin(Thread thread) {
    if (state == State.ACTIVE && channel.epoch() != epoch) {
      state = State.RELEASED;
      expiry.cancel(false);
      queue.inFlight.decrementAndGet();
    }
    if (state != State.ACTIVE) {
      return false;
    }
    started = true;
    runner = thread;
    return true;
  }

  /** The handler returned: performs what an ended lease left for this moment. */
  void handlerDone() {
    Runnable owed;
    synchronized (this) {
      runner = null;
      owed = afterHandler;
      afterHandler = null;
    }
    Thread.interrupted(); // an expired lease's interrupt must not leak into the next message
    if (owed != null) {
      owed.run();
    }
  }

  @Override
  public void ack() {
    end(State.SETTLED);
    if (!channel.ack(tag, epoch)) {
      throw new LeaseExpiredException(
          queue.name,
          message().id(),
          "the connection to RabbitMQ was lost; RabbitMQ will deliver the message again");
    }
    queue.acked.increment();
    queue.latency.record(Duration.between(message().timestamp(), Instant.now()));
  }

  @Override
  public void fail(Throwable error) {
    failed(java.util.Objects.requireNonNull(error, "error"), null);
  }

  @Override
  public void retry(Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new ValidationException("retry delay must be zero or positive, got " + delay);
    }
    failed(null, delay);
  }

  private void failed(Throwable error, Duration explicitDelay) {
    Duration delay = explicitDelay != null ? explicitDelay : queue.backoffAfter(attempt);
    end(State.SETTLED);
    queue.failed.increment();
    nextOrDead(error, null, delay, true);
  }

  @Override
  public void deadLetter(String reason) {
    end(State.SETTLED);
    deadLetterNow(DeadLetterReason.REJECTED, null, reason);
  }

  @Override
  public void deadLetter(DeadLetterReason reason, Throwable error) {
    end(State.SETTLED);
    deadLetterNow(reason, error, null);
  }

  private void deadLetterNow(DeadLetterReason reason, Throwable error, String detail) {
    try {
      if (queue.deadLetterQueue) {
        // nowhere further to go: the message stays in its dead-letter queue
        if (redelivery.again(this, queue.backoffAfter(attempt))) {
          channel.ack(tag, epoch);
        }
        return;
      }
      queue.deadLettered.increment(); // before the move: stats never lag a visible dead letter
      try {
        moves.deadLetter(queue, props, body, reason, error, detail, attempt);
      } catch (RuntimeException e) {
        queue.deadLettered.decrement();
        throw e;
      }
      channel.ack(tag, epoch);
    } catch (RuntimeException e) {
      channel.nack(tag, epoch, true); // not moved: RabbitMQ keeps it and delivers it again
      throw e;
    }
  }

  /** After a failed attempt: the next attempt, or the dead-letter queue after the last. */
  private void nextOrDead(Throwable error, String detail, Duration delay, boolean ackNow) {
    try {
      boolean done;
      if (attempt >= queue.maxAttempts()) {
        queue.deadLettered.increment(); // before the move: stats never lag a visible dead letter
        try {
          moves.deadLetter(
              queue, props, body, DeadLetterReason.MAX_RETRIES, error, detail, attempt);
        } catch (RuntimeException e) {
          queue.deadLettered.decrement();
          throw e;
        }
        done = true;
      } else {
        queue.retried.increment();
        done = redelivery.again(this, delay);
      }
      if (done) {
        ackOriginal(ackNow);
      }
    } catch (RuntimeException e) {
      channel.nack(tag, epoch, true);
      throw e;
    }
  }

  private void ackOriginal(boolean now) {
    if (now) {
      channel.ack(tag, epoch);
      return;
    }
    synchronized (this) {
      if (runner != null) {
        afterHandler = () -> channel.ack(tag, epoch);
        return;
      }
    }
    channel.ack(tag, epoch);
  }

  @Override
  public void extendLease(Duration duration) {
    Checks.leaseExtension(duration);
    synchronized (this) {
      requireActive();
      deadline = Instant.now().plus(duration);
      expiry.cancel(false);
      arm(duration);
    }
  }

  @Override
  public synchronized boolean isSettled() {
    return state != State.ACTIVE;
  }

  @Override
  public synchronized boolean isLeaseLost() {
    return state == State.EXPIRED || state == State.RELEASED;
  }

  /**
   * Gives the message back because its consumer is closing: an attempt whose handler never began
   * returns untouched; one whose handler began counts (and may go to the dead-letter queue).
   */
  void release() {
    boolean begun;
    synchronized (this) {
      if (state != State.ACTIVE) {
        return;
      }
      state = State.RELEASED;
      expiry.cancel(false);
      begun = started;
    }
    queue.inFlight.decrementAndGet();
    if (!begun || redelivery.inProcess()) {
      channel.nack(tag, epoch, true);
      return;
    }
    queue.failed.increment();
    try {
      nextOrDead(null, "its consumer closed before the handler finished", Duration.ZERO, true);
    } catch (RuntimeException e) {
      LOG.warn("could not return message {} of '{}': {}", message().id(), queue.name, e.toString());
    }
  }

  private void arm(Duration after) {
    int g = ++generation;
    expiry = timer.schedule(() -> expired(g), after.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void expired(int g) {
    boolean begun;
    Thread running;
    synchronized (this) {
      if (state != State.ACTIVE || g != generation) {
        return;
      }
      begun = started || !push;
      state = begun ? State.EXPIRED : State.RELEASED;
      running = runner;
    }
    queue.inFlight.decrementAndGet();
    if (!begun) {
      channel.nack(tag, epoch, true); // waited in a buffer: no attempt was made
      return;
    }
    queue.failed.increment();
    LOG.warn(
        "lease of message {} in '{}' expired after {} (attempt {}); handler interrupted, message"
            + " released",
        message().id(),
        queue.name,
        queue.spec.visibilityTimeout(),
        attempt);
    TimeoutException error =
        new TimeoutException(
            "not settled within the visibility timeout of " + queue.spec.visibilityTimeout());
    Runnable next =
        () -> {
          try {
            nextOrDead(error, null, Duration.ZERO, running == null);
          } catch (RuntimeException e) {
            LOG.warn(
                "could not release message {} of '{}'; RabbitMQ will redeliver it: {}",
                message().id(),
                queue.name,
                e.toString());
          }
        };
    boolean deferred = false;
    if (redelivery.inProcess()) {
      synchronized (this) {
        if (runner != null) {
          afterHandler = next; // the key's next attempt must not overlap the one still running
          deferred = true;
        }
      }
    }
    if (running != null) {
      running.interrupt();
    }
    if (!deferred) {
      next.run();
    }
  }

  private void end(State to) {
    synchronized (this) {
      requireActive();
      state = to;
      expiry.cancel(false);
    }
    queue.inFlight.decrementAndGet();
  }

  private void requireActive() {
    switch (state) {
      case ACTIVE:
        return;
      case SETTLED:
        throw new IllegalStateException(
            "delivery of message " + message().id() + " was already settled");
      case EXPIRED:
        throw new LeaseExpiredException(
            queue.name,
            message().id(),
            "its visibility timeout of " + queue.spec.visibilityTimeout() + " passed");
      default:
        throw new LeaseExpiredException(
            queue.name,
            message().id(),
            "it was released because its consumer or the broker closed");
    }
  }

  /** Puts the message back in its queue as it is (the attempt is not counted). */
  void requeue() {
    channel.nack(tag, epoch, true);
  }

  /** Runs now what an ended lease left for its handler's return (its consumer is closing). */
  void flushOwed() {
    Runnable owed;
    synchronized (this) {
      owed = afterHandler;
      afterHandler = null;
    }
    if (owed != null) {
      owed.run();
    }
  }

  /** Interrupts the handler if one runs this delivery. */
  synchronized void interruptRunner() {
    if (runner != null) {
      runner.interrupt();
    }
  }

  @Override
  public String toString() {
    return "Delivery{" + message() + ", queue=" + queue.name + ", attempt=" + attempt + '}';
  }
}
