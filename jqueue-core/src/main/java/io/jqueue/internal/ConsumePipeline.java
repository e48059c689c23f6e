package io.jqueue.internal;

import io.jqueue.CodecException;
import io.jqueue.ConsumeChain;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.LeaseExpiredException;
import io.jqueue.MessageHandler;
import io.jqueue.spi.InternalDelivery;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume chain of one consumer: its middlewares (first listed outermost), then jqueue's
 * outcome link, then the handler. The outcome link is the innermost link: the handler returning
 * acks; a {@link CodecException} anywhere in what it throws dead-letters with {@code DECODE_ERROR}
 * (a poison message is never retried); any other throwable fails the attempt and is passed on, so
 * every middleware sees the settled outcome and the error. An outcome the handler already chose is
 * left alone. What a middleware does outside the outcome link (throwing before the handler, or not
 * calling it) is settled by the same rule once the chain returns: an error fails or dead-letters, a
 * middleware that skipped the handler acks.
 *
 * <p>Pulled deliveries ({@link #handOut}) go through the same middlewares; the caller takes the
 * handler's place and settles them itself.
 */
public final class ConsumePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumePipeline.class);

  /** How a delivery's handling ended, for consumer statistics. */
  public enum Result {
    /** The handler returned normally. */
    HANDLED,
    /** The handler (or a middleware) threw. */
    FAILED,
    /** The lease had ended before the outcome could be recorded. */
    LEASE_LOST,
    /** Recording the outcome failed (for example the broker connection was lost). */
    SETTLE_FAILED
  }

  private final List<ConsumeMiddleware> middlewares;
  private final MessageHandler handler;
  private final Consumer<Result> results;

  /** A pipeline running {@code middlewares} (first outermost) around {@code handler}. */
  public ConsumePipeline(List<ConsumeMiddleware> middlewares, MessageHandler handler) {
    this(middlewares, handler, result -> {});
  }

  /**
   * A pipeline that also tells {@code results} how each delivery ended, before {@link #run} returns
   * or rethrows a {@link VirtualMachineError}, so a consumer counts every outcome.
   */
  public ConsumePipeline(
      List<ConsumeMiddleware> middlewares, MessageHandler handler, Consumer<Result> results) {
    this.middlewares = List.copyOf(middlewares);
    this.handler = Objects.requireNonNull(handler, "handler");
    this.results = Objects.requireNonNull(results, "results");
  }

  /**
   * Runs and settles {@code delivery} and reports the result; never throws except a {@link
   * VirtualMachineError} (after settling and reporting).
   */
  public Result run(InternalDelivery delivery) {
    Run run = new Run(delivery, true);
    Throwable error = null;
    try {
      run.link(0, null).proceed(delivery);
    } catch (Throwable t) {
      error = t;
    }
    Result result = run.outcome;
    if (result == null) { // the outcome link did not run: settle what the middlewares did
      result = settleSafely(delivery, error, error == null ? Result.HANDLED : Result.FAILED);
    } else if (error != null && result == Result.HANDLED) {
      LOG.warn(
          "a consume middleware failed after message {} in '{}' was acknowledged: {}",
          delivery.message().id(),
          delivery.queue(),
          Errors.describe(error));
      result = Result.FAILED;
    }
    results.accept(result);
    if (error instanceof VirtualMachineError) {
      throw (VirtualMachineError) error;
    }
    return result;
  }

  /**
   * Passes a pulled {@code delivery} through the middlewares and returns what reached the end of
   * the chain (possibly a view with a replaced message) for the caller to handle and settle. Empty
   * when a middleware kept it from the caller: a middleware error settles it as for a handler (a
   * {@link CodecException} dead-letters it), a middleware that did not proceed acks it. The code a
   * middleware runs after {@code proceed} runs at once, before the caller handles the delivery.
   * Never throws except a {@link VirtualMachineError}.
   */
  public Optional<Delivery> handOut(InternalDelivery delivery) {
    if (middlewares.isEmpty()) {
      return Optional.of(delivery);
    }
    Run run = new Run(delivery, false);
    Throwable error = null;
    try {
      run.link(0, null).proceed(delivery);
    } catch (Throwable t) {
      error = t;
    }
    if (run.handedOut != null && error == null) {
      return Optional.of(run.handedOut);
    }
    settleSafely(delivery, error, null);
    if (error instanceof VirtualMachineError) {
      throw (VirtualMachineError) error;
    }
    return Optional.empty();
  }

  /**
   * Settles {@code delivery} after {@code error} (null: done) unless already settled, and returns
   * {@code ok} or what kept the outcome from being recorded. Never throws.
   */
  private static Result settleSafely(InternalDelivery delivery, Throwable error, Result ok) {
    try {
      Result lost = settle(delivery, error);
      return lost != null ? lost : ok;
    } catch (LeaseExpiredException e) {
      LOG.warn(
          "message {} in '{}' finished after its lease ended; it was already made visible again"
              + " and may be handled twice: {}",
          delivery.message().id(),
          delivery.queue(),
          e.getMessage());
      return Result.LEASE_LOST;
    } catch (RuntimeException e) {
      LOG.warn(
          "could not record the outcome of message {} in '{}'; the broker will deliver it again"
              + " when its lease ends",
          delivery.message().id(),
          delivery.queue(),
          e);
      return Result.SETTLE_FAILED;
    }
  }

  private static Result settle(InternalDelivery delivery, Throwable error) {
    if (delivery.isSettled()) {
      if (delivery.isLeaseLost()) {
        LOG.warn(
            "message {} in '{}' finished after its lease ended; it was already made visible"
                + " again and may be handled twice",
            delivery.message().id(),
            delivery.queue());
        return Result.LEASE_LOST;
      }
      return null;
    }
    if (error == null) {
      delivery.ack();
    } else if (isDecodeError(error)) {
      LOG.warn(
          "message {} in '{}' cannot be decoded; dead-lettering it without retrying: {}",
          delivery.message().id(),
          delivery.queue(),
          Errors.describe(error));
      delivery.deadLetter(DeadLetterReason.DECODE_ERROR, error);
    } else {
      LOG.debug(
          "attempt {}/{} of message {} in '{}' failed: {}",
          delivery.attempt(),
          delivery.maxAttempts(),
          delivery.message().id(),
          delivery.queue(),
          Errors.describe(error));
      delivery.fail(error);
    }
    return null;
  }

  private static boolean isDecodeError(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof CodecException) {
        return true;
      }
    }
    return false; // end of the chain, or a cause cycle
  }

  /** One pass of one delivery through the chain. */
  private final class Run {
    private final InternalDelivery origin;
    private final boolean handle;
    Result outcome; // set by the outcome link
    Delivery handedOut; // set at the end of a pull's chain

    Run(InternalDelivery origin, boolean handle) {
      this.origin = origin;
      this.handle = handle;
    }

    Link link(int index, ConsumeMiddleware caller) {
      return new Link(this, index, caller);
    }

    /** The innermost link: runs the handler and records its outcome, then passes an error on. */
    void handleAndSettle(Delivery delivery) throws Exception {
      Throwable error = null;
      try {
        handler.handle(delivery);
      } catch (Throwable t) {
        error = t;
      }
      outcome = settleSafely(origin, error, error == null ? Result.HANDLED : Result.FAILED);
      if (error instanceof Exception e) {
        throw e;
      }
      if (error instanceof Error e) {
        throw e;
      }
      if (error != null) {
        throw new IllegalStateException("the handler threw " + error, error);
      }
    }
  }

  /** The chain after middleware {@code index - 1}; checks that it calls proceed at most once. */
  private final class Link implements ConsumeChain {
    private final Run run;
    private final int index;
    private final ConsumeMiddleware caller;
    private boolean called;

    Link(Run run, int index, ConsumeMiddleware caller) {
      this.run = run;
      this.index = index;
      this.caller = caller;
    }

    @Override
    public void proceed(Delivery delivery) throws Exception {
      if (caller != null) {
        if (called) {
          throw new IllegalStateException(
              "consume middleware " + caller.name() + " called proceed() more than once");
        }
        if (delivery == null) {
          throw new IllegalStateException(
              "consume middleware " + caller.name() + " passed a null delivery to proceed()");
        }
      }
      called = true;
      if (index < middlewares.size()) {
        ConsumeMiddleware middleware = middlewares.get(index);
        middleware.handle(delivery, run.link(index + 1, middleware));
      } else if (run.handle) {
        run.handleAndSettle(delivery);
      } else {
        run.handedOut = delivery;
      }
    }
  }
}
