package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.jqueue.DeadLetterReason;
import io.jqueue.LeaseExpiredException;
import io.jqueue.codec.Codec;
import io.jqueue.internal.Checks;
import io.jqueue.internal.Saturating;
import io.jqueue.spi.AbstractDelivery;
import io.jqueue.spi.Decision;
import io.jqueue.spi.LeaseState;
import io.jqueue.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery from RabbitMQ under a client-side lease of the queue's visibility timeout.
 *
 * <p>Outcomes: ack acks; a failure republishes the message for its next attempt (or into the
 * dead-letter queue) and acks the original only once RabbitMQ confirmed the copy. If that move
 * fails, the original stays unacked and the move is tried again in the background with growing
 * pauses, until it succeeds or the channel drops (RabbitMQ then delivers the original again): the
 * handler never runs again for an attempt that already ended. When the lease ends first, the
 * message is moved on for its next attempt at once and the handler is interrupted; the original
 * stays unacked until that handler returns, so RabbitMQ's prefetch keeps tracking busy handlers.
 */
final class RabbitDelivery extends AbstractDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitDelivery.class);

  /** How a failed message gets its next attempt. */
  enum Mode {
    /** Republished (confirmed) to a delay queue, then the original is acked. */
    REPUBLISH,
    /** Kept unacked and run again in this process: ordered queues, whose order it preserves. */
    IN_PROCESS,
    /** A dead letter stays in its queue: put back at its end, one more attempt counted. */
    DEAD_LETTER_QUEUE
  }

  /**
   * What the deliveries of one consumer share. {@code clock} times what this client decides (the
   * lease, in-process backoff); {@code timer} paces, on real time, moves tried again after a
   * failure; {@code work} runs whatever either starts.
   */
  record Context(
      QueueRuntime queue,
      AckChannel channel,
      String consumerId,
      Codec codec,
      Moves moves,
      TimeSource clock,
      ScheduledExecutorService timer,
      Executor work,
      Mode mode,
      boolean push,
      Consumer<RabbitDelivery> runAgain) {}

  final Context ctx;
  final QueueRuntime queue;
  final long tag;
  final int epoch;
  final AMQP.BasicProperties props;
  final byte[] body;
  final int attempt;

  private final LeaseState lease; // changed under this delivery's monitor
  private final DeliveryMover mover = new DeliveryMover(this);
  Thread runner; // guarded by this delivery's monitor, like afterHandler
  Runnable afterHandler;
  private volatile Instant deadline;
  private TimeSource.Cancellable expiry;
  private Instant timerDue; // when expiry fires: at or before the deadline (a later one re-arms)
  private int generation;

  RabbitDelivery(
      Context ctx, long tag, int epoch, AMQP.BasicProperties props, byte[] body, int attempt) {
    super(
        WireFormat.toMessage(ctx.queue().name, props, body),
        ctx.codec(),
        ctx.queue().name,
        attempt,
        ctx.queue().rule,
        ctx.consumerId());
    this.ctx = ctx;
    this.queue = ctx.queue();
    this.tag = tag;
    this.epoch = epoch;
    // a message that came without an id keeps the one it was given for its whole life
    this.props = WireFormat.withMessageId(props, message().id());
    this.body = body;
    this.attempt = attempt;
    this.lease = new LeaseState(queue.name, message(), queue.spec.visibilityTimeout());
    queue.inFlight.incrementAndGet();
    // for a pushed delivery this first timer only bounds its wait in the consumer's buffer (it
    // goes back uncounted when it fires); its lease starts with its handler (begin)
    startLease();
  }

  /** Starts (or restarts) the lease: a full visibility timeout from now. */
  synchronized void startLease() {
    if (!lease.isActive()) {
      return;
    }
    Duration visibility = queue.spec.visibilityTimeout();
    deadline = Saturating.plus(ctx.clock().now(), visibility);
    moveTimer(visibility);
  }

  /**
   * Re-arms the expiry timer for a deadline {@code after} from now, only when it comes before the
   * armed one: a later deadline (a handler's start) costs no timer operation, the timer re-arms
   * itself when it fires early.
   */
  private void moveTimer(Duration after) {
    if (expiry == null || deadline.isBefore(timerDue)) {
      if (expiry != null) {
        expiry.cancel();
      }
      arm(after);
    }
  }

  /** The same AMQP delivery as its next attempt, for retries that stay in this process. */
  RabbitDelivery nextAttempt() {
    return new RabbitDelivery(ctx, tag, epoch, props, body, attempt + 1);
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  /**
   * A handler is about to run, and its lease starts; false (do not run it) when the delivery went
   * back while it waited in the buffer, or when the channel went down since the delivery (RabbitMQ
   * delivers the message again).
   */
  synchronized boolean begin(Thread thread) {
    if (lease.isActive() && ctx.channel().epoch() != epoch) {
      lease.end(LeaseState.Phase.RELEASED);
      expiry.cancel();
      queue.inFlight.decrementAndGet();
    }
    if (!lease.begin()) {
      return false;
    }
    runner = thread;
    startLease(); // the attempt starts now: its lease is the full visibility timeout
    return true;
  }

  /**
   * Whether the message's own TTL ran out on the clock before a handler (or a pull caller) got it:
   * it is then expired as its queue's policy says, not handed out. A dead letter never expires; a
   * delivery whose channel went down since is left to {@link #begin} (RabbitMQ delivers it again).
   */
  boolean expireIfDue() {
    Optional<Instant> expiresAt = message().expiresAt();
    if (queue.deadLetterQueue
        || expiresAt.isEmpty()
        || ctx.clock().now().isBefore(expiresAt.get())
        || ctx.channel().epoch() != epoch) {
      return false;
    }
    synchronized (this) {
      if (!lease.isActive()) {
        return true; // it went back meanwhile
      }
      lease.end(LeaseState.Phase.SETTLED);
      expiry.cancel();
    }
    queue.inFlight.decrementAndGet();
    mover.expire();
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

  @Override
  protected void settleAck() {
    end(LeaseState.Phase.SETTLED);
    queue.forgetAttempts(message().id());
    if (!ctx.channel().ack(tag, epoch)) {
      throw new LeaseExpiredException(
          queue.name,
          message().id(),
          "the connection to RabbitMQ was lost; RabbitMQ will deliver the message again");
    }
    queue.acked.increment();
    queue.latency.recordMicros(
        Saturating.nanosUntil(message().timestamp(), ctx.clock().now()) / 1_000);
  }

  @Override
  protected void settleFailure(Throwable error, Duration explicitDelay) {
    Decision decision = queue.rule.afterFailure(attempt, error, explicitDelay); // user backoff
    end(LeaseState.Phase.SETTLED);
    queue.failed.increment();
    mover.carryOut(decision, true, null);
  }

  @Override
  protected void settleDeadLetter(DeadLetterReason reason, Throwable error, String detail) {
    Decision decision = queue.rule.afterDeadLetter(attempt, reason, error, detail);
    end(LeaseState.Phase.SETTLED);
    mover.carryOut(decision, true, null);
  }

  @Override
  public void extendLease(Duration duration) {
    Checks.leaseExtension(duration);
    synchronized (this) {
      lease.requireActive();
      deadline = Saturating.plus(ctx.clock().now(), duration);
      moveTimer(duration);
    }
  }

  @Override
  public boolean isSettled() {
    return !lease.isActive();
  }

  @Override
  public boolean isLeaseLost() {
    return lease.isLost();
  }

  /**
   * Gives the message back because its consumer is closing: an attempt whose handler never began
   * returns untouched; one whose handler began counts (and may go to the dead-letter queue), its
   * move bounded by {@code deadline}; past it the message is just returned to RabbitMQ, uncounted,
   * so closing stays bounded. The deadline is real time, not the clock's: it bounds waits on the
   * wire.
   */
  void release(Instant deadline) {
    Runnable rest = beginRelease(deadline);
    if (rest != null) {
      rest.run();
    }
  }

  /** {@link #release}s with no time for a move: the message just goes back to RabbitMQ. */
  void giveBack() {
    release(Saturating.FAR_PAST);
  }

  /**
   * The first half of {@link #release}: ends the lease at once (so a handler interrupted next can
   * no longer settle it) and returns what is left to do, the nack or the move, or null.
   */
  Runnable beginRelease(Instant deadline) {
    boolean begun;
    synchronized (this) {
      if (!lease.isActive()) {
        return null;
      }
      lease.end(LeaseState.Phase.RELEASED);
      expiry.cancel();
      begun = lease.isStarted();
    }
    queue.inFlight.decrementAndGet();
    boolean inTime = Instant.now().isBefore(deadline); // real time, like the deadline
    Decision decision = queue.rule.afterRelease(attempt, begun, inTime);
    if (!begun || !inTime) {
      // past the deadline nothing is moved, so closing stays bounded: the message just goes back
      return () -> mover.returnUncounted(begun ? attempt : attempt - 1);
    }
    queue.failed.increment();
    if (decision instanceof Decision.Release && ctx.mode() == Mode.IN_PROCESS) {
      return () -> mover.returnUncounted(attempt); // its order lives in the queue: put it back
    }
    return () -> mover.carryOut(decision, true, deadline);
  }

  /** Fires {@link #expired} {@code after} from now on the clock, unless re-armed meanwhile. */
  private void arm(Duration after) {
    int g = ++generation;
    timerDue = deadline;
    expiry = ctx.clock().schedule(after, () -> expired(g));
  }

  private void expired(int g) {
    boolean begun;
    boolean running;
    boolean deferred = false;
    Decision decision;
    synchronized (this) {
      if (!lease.isActive() || g != generation) {
        return;
      }
      long left = Saturating.nanosUntil(ctx.clock().now(), deadline);
      if (left > 0) { // the deadline moved later (a handler began): wait the rest
        arm(Duration.ofNanos(left));
        return;
      }
      begun = lease.isStarted() || !ctx.push(); // a pulled one counts from receive
      decision = queue.rule.afterLeaseExpired(attempt, begun, queue.spec.visibilityTimeout());
      lease.end(begun ? LeaseState.Phase.EXPIRED : LeaseState.Phase.RELEASED);
      running = runner != null;
      if (running) {
        runner.interrupt(); // under the lock: only the handler still running this delivery
        if (ctx.mode() == Mode.IN_PROCESS) {
          // the key's next attempt must not overlap the one still running
          afterHandler = () -> mover.carryOut(decision, true, null);
          deferred = true;
        }
      }
    }
    queue.inFlight.decrementAndGet();
    if (!begun) { // waited in a buffer: no attempt was made. Nacked off the clock's thread
      mover.runOnWorker(() -> mover.carryOut(decision, true, null));
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
    if (!deferred) {
      mover.runOnWorker(() -> mover.carryOut(decision, !running, null));
    }
  }

  private void end(LeaseState.Phase to) {
    synchronized (this) {
      lease.end(to);
      expiry.cancel();
    }
    queue.inFlight.decrementAndGet();
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
