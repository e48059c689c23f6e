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
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a delivery through the consume chain and settles it: the outermost link of every consumer.
 * The handler returning acks; a {@link CodecException} anywhere in what it throws dead-letters with
 * {@code DECODE_ERROR} (a poison message is never retried); any other throwable fails the attempt.
 * An outcome the handler already chose is left alone.
 */
public final class ConsumePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumePipeline.class);

  /** How a delivery's handling ended, for consumer statistics. */
  public enum Result {
    /** The handler returned normally. */
    HANDLED,
    /** The handler threw. */
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
    Throwable error = null;
    try {
      new Link(0, null).proceed(delivery);
    } catch (Throwable t) {
      error = t;
    }
    Result result = error == null ? Result.HANDLED : Result.FAILED;
    try {
      Result lost = settle(delivery, error);
      if (lost != null) {
        result = lost;
      }
    } catch (LeaseExpiredException e) {
      LOG.warn(
          "message {} in '{}' finished after its lease ended; it was already made visible again"
              + " and may be handled twice: {}",
          delivery.message().id(),
          delivery.queue(),
          e.getMessage());
      result = Result.LEASE_LOST;
    } catch (RuntimeException e) {
      LOG.warn(
          "could not record the outcome of message {} in '{}'; the broker will deliver it again"
              + " when its lease ends",
          delivery.message().id(),
          delivery.queue(),
          e);
      result = Result.SETTLE_FAILED;
    }
    results.accept(result);
    if (error instanceof VirtualMachineError) {
      throw (VirtualMachineError) error;
    }
    return result;
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

  /** The chain after middleware {@code index - 1}; checks that it calls proceed at most once. */
  private final class Link implements ConsumeChain {
    private final int index;
    private final ConsumeMiddleware caller;
    private boolean called;

    Link(int index, ConsumeMiddleware caller) {
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
      if (index == middlewares.size()) {
        handler.handle(delivery);
      } else {
        ConsumeMiddleware middleware = middlewares.get(index);
        middleware.handle(delivery, new Link(index + 1, middleware));
      }
    }
  }
}
