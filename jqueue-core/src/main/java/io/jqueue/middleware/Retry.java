package io.jqueue.middleware;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import io.jqueue.ConfigurationException;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublishReceipt;
import io.jqueue.ValidationException;
import io.jqueue.internal.Checks;
import io.jqueue.internal.Errors;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a message again after a retryable failure, waiting longer before each attempt
 * (exponential backoff with jitter, each wait capped), until an attempt succeeds, the attempts run
 * out, or the next wait would pass the caller's deadline ({@link PublishChain#deadline()}).
 *
 * <p>Every attempt sends the same message (same id), so a consumer that deduplicates by id sees it
 * once even when a timed-out attempt did reach the broker. When it gives up, it throws the last
 * attempt's error unchanged, whichever limit stopped it: a caller that handles {@code
 * QueueFullException} handles it with or without a retry in the chain, and a retry never makes the
 * caller wait past its deadline. By default only {@linkplain JQueueException#isTransient transient}
 * errors are retried. Thread-safe; one instance may serve many publishers. Backoff and attempt
 * counting are Resilience4j's ({@code resilience4j-retry}); the waiting is this class's, so it can
 * stop at the deadline.
 *
 * <p>It is a synchronous middleware only (not an {@link io.jqueue.AsyncPublishMiddleware}): each
 * attempt must be confirmed or refused before it can decide on the next. A chain holding it makes
 * {@code publishAll} and {@code publishAsync} publish one message at a time, each confirmed before
 * the next is sent, instead of many awaiting their confirms at once.
 *
 * <pre>{@code
 * Retry retry = Retry.builder().maxAttempts(5).initialDelay(Duration.ofMillis(100))
 *     .maxDelay(Duration.ofSeconds(2)).build();
 * }</pre>
 */
public final class Retry implements PublishMiddleware {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  private final io.github.resilience4j.retry.Retry retry;
  private final int maxAttempts;
  private final Duration initialDelay;
  private final double multiplier;
  private final double jitter;
  private final Duration maxDelay;
  private final Sleeper sleeper;

  private Retry(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialDelay = b.initialDelay;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.maxDelay = b.maxDelay;
    this.sleeper = b.sleeper;
    Predicate<Throwable> retryable = b.retryOn;
    RetryConfig config =
        RetryConfig.custom()
            .maxAttempts(b.maxAttempts)
            .intervalFunction(
                IntervalFunction.ofExponentialRandomBackoff(
                    b.initialDelay.toMillis(), b.multiplier, b.jitter, b.maxDelay.toMillis()))
            .retryOnException(error -> test(retryable, error))
            .build();
    this.retry = io.github.resilience4j.retry.Retry.of("jqueue-publish-retry", config);
  }

  /** A retry with the defaults of {@link #builder()}. */
  public static Retry withDefaults() {
    return builder().build();
  }

  /**
   * A builder with the defaults: 3 attempts, first wait 100 ms, doubling, jitter 0.5, each wait at
   * most 5 s, transient errors only.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    io.github.resilience4j.retry.Retry.AsyncContext<PublishReceipt> attempts = retry.asyncContext();
    for (int attempt = 1; ; attempt++) {
      try {
        PublishReceipt receipt = chain.proceed(message);
        attempts.onComplete();
        return receipt;
      } catch (RuntimeException e) {
        long waitMillis = attempts.onError(e); // negative: not retryable, or no attempts left
        if (waitMillis < 0) {
          throw e;
        }
        Duration wait = Duration.ofMillis(waitMillis);
        if (wait.compareTo(chain.remaining()) >= 0) {
          LOG.debug(
              "publish of message {} failed (attempt {}), and waiting {} would pass the caller's"
                  + " deadline; giving up: {}",
              message.id(),
              attempt,
              wait,
              Errors.describe(e));
          throw e;
        }
        LOG.debug(
            "publish of message {} failed (attempt {} of {}); retrying in {}: {}",
            message.id(),
            attempt,
            maxAttempts,
            wait,
            Errors.describe(e));
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static boolean test(Predicate<Throwable> retryable, Throwable error) {
    try {
      return retryable.test(error);
    } catch (RuntimeException e) {
      LOG.warn("the retry predicate threw on {}; not retrying", Errors.describe(error), e);
      return false;
    }
  }

  @Override
  public String name() {
    return "retry";
  }

  @Override
  public String toString() {
    return "Retry{maxAttempts="
        + maxAttempts
        + ", initialDelay="
        + initialDelay
        + ", multiplier="
        + multiplier
        + ", jitter="
        + jitter
        + ", maxDelay="
        + maxDelay
        + '}';
  }

  /** Waits between attempts; tests replace it to run without real time passing. */
  @FunctionalInterface
  public interface Sleeper {
    /** Blocks for {@code duration}, or less when interrupted (then throws). */
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Builds a {@link Retry}; each setter checks its argument, {@link #build()} the combination. */
  public static final class Builder {
    private static final Duration LONGEST_WAIT = Duration.ofHours(1);

    private int maxAttempts = 3;
    private Duration initialDelay = Duration.ofMillis(100);
    private double multiplier = 2.0;
    private double jitter = 0.5;
    private Duration maxDelay = Duration.ofSeconds(5);
    private Predicate<Throwable> retryOn = JQueueException::isTransient;
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());

    private Builder() {}

    /** Attempts in all, the first included (1–100; 1 means never retry). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 100) {
        throw new ValidationException("retry maxAttempts must be 1-100, got " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The wait before the second attempt (1 ms to 1 h; whole milliseconds). */
    public Builder initialDelay(Duration delay) {
      this.initialDelay = checkWait(delay, "initialDelay");
      return this;
    }

    /** How much each wait grows over the one before (1.0 = constant, up to 10). */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0 && multiplier <= 10.0)) {
        throw new ValidationException("retry multiplier must be 1.0-10.0, got " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /**
     * How far each wait is spread at random around its value, as a fraction (0 = exact, 0.5 =
     * ±50%), so publishers that failed together do not retry together.
     */
    public Builder jitter(double fraction) {
      if (!(fraction >= 0.0 && fraction <= 1.0)) {
        throw new ValidationException("retry jitter must be 0.0-1.0, got " + fraction);
      }
      this.jitter = fraction;
      return this;
    }

    /** The longest any one wait may be, jitter included (1 ms to 1 h). */
    public Builder maxDelay(Duration delay) {
      this.maxDelay = checkWait(delay, "maxDelay");
      return this;
    }

    /**
     * Which errors are retried (default {@link JQueueException#isTransient}); a predicate that
     * throws means "do not retry".
     */
    public Builder retryOn(Predicate<Throwable> retryable) {
      this.retryOn = Objects.requireNonNull(retryable, "retryable");
      return this;
    }

    /** How to wait between attempts (default {@link Thread#sleep}); for tests. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Builds the middleware.
     *
     * @throws ConfigurationException when {@code maxDelay} is shorter than {@code initialDelay}
     */
    public Retry build() {
      if (maxDelay.compareTo(initialDelay) < 0) {
        throw new ConfigurationException(
            "retry maxDelay ("
                + maxDelay
                + ") is shorter than initialDelay ("
                + initialDelay
                + "); raise maxDelay or lower initialDelay");
      }
      return new Retry(this);
    }

    private static Duration checkWait(Duration d, String name) {
      Checks.positive(d, "retry " + name);
      if (d.toMillis() < 1 || d.compareTo(LONGEST_WAIT) > 0) {
        throw new ValidationException("retry " + name + " must be 1ms-1h, got " + d);
      }
      return d;
    }
  }
}
