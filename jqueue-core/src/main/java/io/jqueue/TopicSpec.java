package io.jqueue;

import io.jqueue.internal.Names;
import java.time.Duration;
import java.util.Objects;

/**
 * What a topic is ({@link Broker#declareTopic}): its name and how long it keeps what was published
 * for replay ({@link Broker#seek}). Immutable; equal specs declare the same topic again harmlessly.
 *
 * @param name the topic name: 1–255 bytes of {@code [A-Za-z0-9._:-]}, not starting with {@code
 *     amq.}
 * @param retention how long published messages are kept for replay ({@link Duration#ZERO}: none)
 * @param maxRetainedBytes the most payload bytes kept for replay, oldest dropped first (0: no bound
 *     beyond the retention time)
 */
public record TopicSpec(String name, Duration retention, long maxRetainedBytes) {
  /** The longest retention: 30 days. */
  public static final Duration MAX_RETENTION = Duration.ofDays(30);

  /** Checks every field. */
  public TopicSpec {
    Names.requireValidDestination(name, "topic name");
    if (name.contains("/")) {
      throw new ValidationException("topic name '" + name + "' must not contain '/'");
    }
    Objects.requireNonNull(retention, "retention");
    if (retention.isNegative() || retention.compareTo(MAX_RETENTION) > 0) {
      throw new ValidationException(
          "retention must be between 0 and 30 days, got " + retention + " for topic " + name);
    }
    if (maxRetainedBytes < 0) {
      throw new ValidationException(
          "maxRetainedBytes must not be negative, got " + maxRetainedBytes);
    }
  }

  /** A builder for topic {@code name}, keeping nothing for replay until told to. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Whether the topic keeps messages for replay. */
  public boolean retains() {
    return !retention.isZero() || maxRetainedBytes > 0;
  }

  /** Builds a {@link TopicSpec}. */
  public static final class Builder {
    private final String name;
    private Duration retention = Duration.ZERO;
    private long maxRetainedBytes;

    private Builder(String name) {
      this.name = name;
    }

    /** Keeps published messages this long for replay (at most 30 days). */
    public Builder retention(Duration retention) {
      this.retention = Objects.requireNonNull(retention, "retention");
      return this;
    }

    /** Keeps at most this many payload bytes for replay, dropping the oldest first. */
    public Builder maxRetainedBytes(long bytes) {
      this.maxRetainedBytes = bytes;
      return this;
    }

    /** Builds the spec. */
    public TopicSpec build() {
      TopicSpec spec = new TopicSpec(name, retention, maxRetainedBytes);
      if (maxRetainedBytes > 0 && retention.isZero()) {
        return new TopicSpec(name, MAX_RETENTION, maxRetainedBytes); // bounded by size alone
      }
      return spec;
    }
  }
}
