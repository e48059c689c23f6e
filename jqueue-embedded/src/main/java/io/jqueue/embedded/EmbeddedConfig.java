package io.jqueue.embedded;

import io.jqueue.ValidationException;
import io.jqueue.internal.Checks;
import io.jqueue.time.ManualTimeSource;
import io.jqueue.time.TimeSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Immutable settings of an {@link EmbeddedBroker}, built with {@link #builder()}. */
public final class EmbeddedConfig {
  private final String name;
  private final TimeSource timeSource;
  private final Duration statsReportInterval;
  private final Duration expirySweepInterval;
  private final MeterRegistry meterRegistry;

  private EmbeddedConfig(Builder b) {
    this.name = b.name;
    this.timeSource = b.timeSource;
    this.statsReportInterval = b.statsReportInterval;
    this.expirySweepInterval = b.expirySweepInterval;
    this.meterRegistry = b.meterRegistry;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: real time, a stats report every 30 s, expiry sweeps every second. */
  public static EmbeddedConfig defaults() {
    return builder().build();
  }

  /** The broker's name, used in thread names and logs (default {@code embedded}). */
  public String name() {
    return name;
  }

  /** The clock and timer, when one was supplied; otherwise the broker uses real time. */
  public Optional<TimeSource> timeSource() {
    return Optional.ofNullable(timeSource);
  }

  /** How often queue statistics are logged at INFO; zero turns the report off. */
  public Duration statsReportInterval() {
    return statsReportInterval;
  }

  /** How often queues look for messages whose TTL ran out while nobody consumed them. */
  public Duration expirySweepInterval() {
    return expirySweepInterval;
  }

  /** The registry queue statistics are exported to, if any (see {@code BrokerMetrics}). */
  public Optional<MeterRegistry> meterRegistry() {
    return Optional.ofNullable(meterRegistry);
  }

  /** Builds an {@link EmbeddedConfig}; each setter validates its argument. */
  public static final class Builder {
    private String name = "embedded";
    private TimeSource timeSource;
    private Duration statsReportInterval = Duration.ofSeconds(30);
    private Duration expirySweepInterval = Duration.ofSeconds(1);
    private MeterRegistry meterRegistry;

    private Builder() {}

    /** Sets the broker name. */
    public Builder name(String name) {
      if (name == null || name.isBlank()) {
        throw new ValidationException("broker name must not be blank");
      }
      this.name = name;
      return this;
    }

    /** Uses {@code timeSource} (for example a {@link ManualTimeSource}) instead of real time. */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /** Sets the stats report period; {@link Duration#ZERO} turns it off (default 30 s). */
    public Builder statsReportInterval(Duration interval) {
      this.statsReportInterval = Checks.notNegative(interval, "statsReportInterval");
      return this;
    }

    /** Sets the expiry sweep period, at least 1 ms (default 1 s). */
    public Builder expirySweepInterval(Duration interval) {
      if (interval == null || interval.compareTo(Duration.ofMillis(1)) < 0) {
        throw new ValidationException("expirySweepInterval must be at least 1ms, got " + interval);
      }
      this.expirySweepInterval = interval;
      return this;
    }

    /**
     * Exports every queue's statistics to {@code registry}; meters follow queues and consumers as
     * they are declared, deleted, started and closed.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Builds the config. */
    public EmbeddedConfig build() {
      return new EmbeddedConfig(this);
    }
  }
}
