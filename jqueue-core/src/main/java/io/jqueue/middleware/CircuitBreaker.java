package io.jqueue.middleware;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.jqueue.CircuitOpenException;
import io.jqueue.Health;
import io.jqueue.HealthContributor;
import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublishReceipt;
import io.jqueue.ValidationException;
import io.jqueue.internal.Checks;
import io.jqueue.time.TimeSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops publishing for a while after repeated failures, so a broken broker is not hammered and
 * callers fail fast: after {@code failureThreshold} failed publishes in a row the circuit is {@link
 * State#OPEN} and every publish throws {@link CircuitOpenException} at once, without reaching the
 * broker; after {@code openWait} the next {@code probeCalls} publishes go through as probes ({@link
 * State#HALF_OPEN}); the circuit closes when they all succeed and opens again at the first that
 * fails.
 *
 * <p>Only failures that say the broker is in trouble count: by default the {@linkplain
 * JQueueException#isTransient transient} ones. Any other error (an invalid message, say) passes
 * through and neither counts as a failure nor breaks a run of them. The state is visible through
 * {@link #state()}, in the health of the publisher it is in ({@link HealthContributor}: open is
 * DOWN, half-open is DEGRADED) and, given a registry, as Micrometer meters: the gauge {@code
 * jqueue.circuit.state{name}} (0 closed, 1 half-open, 2 open) and the counters {@code
 * jqueue.circuit.transitions{name,from,to}} and {@code jqueue.circuit.rejected{name}}. The state
 * machine is Resilience4j's ({@code resilience4j-circuitbreaker}). Thread-safe; share one instance
 * between publishers to have them trip together. List it inside a retry ({@code retry,
 * circuitBreaker}) so that retries see the open circuit and stop, rather than count as failures.
 *
 * <p>It is a synchronous middleware only (not an {@link io.jqueue.AsyncPublishMiddleware}): it
 * counts each publish's outcome before it lets the next through, which is what makes a half-open
 * circuit's probes meaningful. A chain holding it makes {@code publishAll} and {@code publishAsync}
 * publish one message at a time, each confirmed before the next is sent.
 */
public final class CircuitBreaker implements PublishMiddleware, HealthContributor {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

  /** Where a circuit is, from best to worst. */
  public enum State {
    /** Publishes go through; failures are counted. */
    CLOSED,
    /** Probe publishes go through; the rest are refused until the probes tell. */
    HALF_OPEN,
    /** Every publish is refused until the wait ends. */
    OPEN
  }

  private final String name;
  private final int failureThreshold;
  private final Duration openWait;
  private final int probeCalls;
  private final Clock clock;
  private final Predicate<Throwable> counts;
  private final io.github.resilience4j.circuitbreaker.CircuitBreaker breaker;
  private volatile Throwable lastFailure;
  private volatile Instant probeFrom = Instant.MIN;

  private CircuitBreaker(Builder b) {
    this.name = b.name;
    this.failureThreshold = b.failureThreshold;
    this.openWait = b.openWait;
    this.probeCalls = b.probeCalls;
    this.clock = b.time == null ? Clock.systemUTC() : new TimeSourceClock(b.time);
    this.counts = b.countsAsFailure;
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            // the last failureThreshold calls all failed: that many failures in a row
            .slidingWindow(failureThreshold, failureThreshold, SlidingWindowType.COUNT_BASED)
            .failureRateThreshold(100)
            .slowCallDurationThreshold(Duration.ofDays(365)) // slowness alone never trips it
            .waitDurationInOpenState(openWait)
            .permittedNumberOfCallsInHalfOpenState(probeCalls)
            .recordException(e -> test(counts, e))
            .ignoreException(e -> !test(counts, e))
            .clock(clock)
            .build();
    this.breaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.of(name, config);
    breaker.getEventPublisher().onStateTransition(e -> onTransition(e.getStateTransition()));
    if (b.registry != null) {
      CircuitBreakerMeters.bind(this, b.registry);
    }
  }

  /**
   * A builder with the defaults: named {@code publish}, open after 5 failures in a row, for 30 s,
   * then 1 probe; transient errors count.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A breaker with the defaults of {@link #builder()}. */
  public static CircuitBreaker withDefaults() {
    return builder().build();
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    if (!breaker.tryAcquirePermission()) {
      throw refused(message);
    }
    boolean probe =
        breaker.getState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.HALF_OPEN;
    long start = System.nanoTime();
    try {
      PublishReceipt receipt = chain.proceed(message);
      breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return receipt;
    } catch (Throwable e) {
      breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
      if (test(counts, e)) {
        lastFailure = e;
        if (probe && state() == State.HALF_OPEN) {
          breaker.transitionToOpenState(); // one failed probe is enough: open again at once
        }
      }
      throw e;
    }
  }

  /**
   * Where the circuit is now. An open circuit whose wait has ended turns half-open at the next
   * publish.
   */
  public State state() {
    switch (breaker.getState()) {
      case OPEN:
      case FORCED_OPEN:
        return State.OPEN;
      case HALF_OPEN:
        return State.HALF_OPEN;
      default:
        return State.CLOSED;
    }
  }

  /** Open: DOWN; half-open: DEGRADED; closed: UP. */
  @Override
  public Health health() {
    switch (state()) {
      case OPEN:
        return Health.down(
            "circuit breaker '"
                + name
                + "' is open after "
                + failureThreshold
                + " failed publishes in a row; it lets a probe through from "
                + probeFrom);
      case HALF_OPEN:
        return Health.degraded(
            "circuit breaker '" + name + "' is half-open: probing whether publishing works again");
      default:
        return Health.up();
    }
  }

  /** This breaker's name, in its meters, errors and logs. */
  public String breakerName() {
    return name;
  }

  private CircuitOpenException refused(Message message) {
    Throwable cause = lastFailure;
    String why =
        state() == State.HALF_OPEN
            ? "is half-open and its " + probeCalls + " probe publish(es) are under way"
            : "is open after "
                + failureThreshold
                + " failed publishes in a row"
                + (cause == null ? "" : " (the last: " + cause.getClass().getSimpleName() + ")")
                + "; it lets a probe through from "
                + probeFrom;
    String text =
        "circuit breaker '"
            + name
            + "' "
            + why
            + "; message "
            + message.id()
            + " was not sent: back off and publish it again later";
    return cause == null ? new CircuitOpenException(text) : new CircuitOpenException(text, cause);
  }

  private void onTransition(
      io.github.resilience4j.circuitbreaker.CircuitBreaker.StateTransition t) {
    if (t.getToState() == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN) {
      probeFrom = clock.instant().plus(openWait);
      LOG.warn(
          "circuit breaker '{}' opened ({} -> OPEN): publishes are refused until {}",
          name,
          t.getFromState(),
          probeFrom);
    } else {
      LOG.info("circuit breaker '{}': {} -> {}", name, t.getFromState(), t.getToState());
    }
  }

  private static boolean test(Predicate<Throwable> counts, Throwable error) {
    try {
      return counts.test(error);
    } catch (RuntimeException e) {
      LOG.warn("the circuit breaker's failure predicate threw; not counting the error", e);
      return false;
    }
  }

  /** Registers listeners for the meters; package-private for {@link CircuitBreakerMeters}. */
  io.github.resilience4j.circuitbreaker.CircuitBreaker.EventPublisher events() {
    return breaker.getEventPublisher();
  }

  @Override
  public String name() {
    return "circuit-breaker:" + name;
  }

  @Override
  public String toString() {
    return "CircuitBreaker{name="
        + name
        + ", state="
        + state()
        + ", failureThreshold="
        + failureThreshold
        + ", openWait="
        + openWait
        + ", probeCalls="
        + probeCalls
        + '}';
  }

  /** Resilience4j's view of a jqueue {@link TimeSource}, so tests can drive the open wait. */
  private static final class TimeSourceClock extends Clock {
    private final TimeSource time;

    TimeSourceClock(TimeSource time) {
      this.time = time;
    }

    @Override
    public Instant instant() {
      return time.now();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(instant(), zone); // never used by Resilience4j
    }
  }

  /** Builds a {@link CircuitBreaker}; each setter checks its argument. */
  public static final class Builder {
    private String name = "publish";
    private int failureThreshold = 5;
    private Duration openWait = Duration.ofSeconds(30);
    private int probeCalls = 1;
    private Predicate<Throwable> countsAsFailure = JQueueException::isTransient;
    private TimeSource time;
    private MeterRegistry registry;

    private Builder() {}

    /** The breaker's name, in meters, errors and logs (1-100 characters; default "publish"). */
    public Builder name(String name) {
      if (name == null || name.isBlank() || name.length() > 100) {
        throw new ValidationException(
            "circuit breaker name must be 1-100 characters, not blank; got " + name);
      }
      this.name = name;
      return this;
    }

    /** Failed publishes in a row that open the circuit (1-1000; default 5). */
    public Builder failureThreshold(int failures) {
      if (failures < 1 || failures > 1_000) {
        throw new ValidationException(
            "circuit breaker failureThreshold must be 1-1000, got " + failures);
      }
      this.failureThreshold = failures;
      return this;
    }

    /** How long the circuit stays open before it lets probes through (1 ms to 1 day; 30 s). */
    public Builder openWait(Duration wait) {
      Checks.positive(wait, "circuit breaker openWait");
      if (wait.toMillis() < 1 || wait.compareTo(Duration.ofDays(1)) > 0) {
        throw new ValidationException("circuit breaker openWait must be 1ms-1d, got " + wait);
      }
      this.openWait = wait;
      return this;
    }

    /** Probe publishes let through when half-open; all must succeed to close (1-100; 1). */
    public Builder probeCalls(int calls) {
      if (calls < 1 || calls > 100) {
        throw new ValidationException("circuit breaker probeCalls must be 1-100, got " + calls);
      }
      this.probeCalls = calls;
      return this;
    }

    /**
     * Which errors count as failures (default {@link JQueueException#isTransient}); the others are
     * ignored. A predicate that throws means "does not count".
     */
    public Builder countFailures(Predicate<Throwable> countsAsFailure) {
      this.countsAsFailure = Objects.requireNonNull(countsAsFailure, "countsAsFailure");
      return this;
    }

    /** The clock of the open wait (default the system clock); for tests. */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /** Exports the state and transitions to {@code registry}. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Builds the middleware. */
    public CircuitBreaker build() {
      return new CircuitBreaker(this);
    }
  }
}
