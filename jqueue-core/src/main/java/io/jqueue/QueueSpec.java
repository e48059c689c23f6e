package io.jqueue;

import io.jqueue.internal.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable declaration of a queue (SPEC §4), built with {@link #builder(String)}. Two specs
 * are equal when every setting is equal: redeclaring an equal spec is a no-op, a different one is a
 * {@link TopologyConflictException}.
 *
 * <p>Every queue gets a dead-letter queue named {@code <name>.dlq}, so user queue names may not end
 * in {@code .dlq}.
 */
public final class QueueSpec {
  /** The highest {@link Builder#maxRetries}: 10 000 attempts. */
  public static final int MAX_RETRIES = 10_000;

  /** The longest {@link Builder#messageTtl} a queue may have: 2^32-1 ms, as RabbitMQ allows. */
  public static final Duration MAX_MESSAGE_TTL = Duration.ofMillis(0xFFFF_FFFFL);

  private final String name;
  private final long maxSize;
  private final OverflowPolicy overflow;
  private final int maxRetries;
  private final Duration visibilityTimeout;
  private final Duration messageTtl;
  private final ExpiryPolicy expiryPolicy;
  private final Backoff backoff;
  private final boolean ordered;
  private final int maxPriority;
  private final long deadLetterMaxSize;

  private QueueSpec(Builder b) {
    this.name = b.name;
    this.maxSize = b.maxSize;
    this.overflow = b.overflow;
    this.maxRetries = b.maxRetries;
    this.visibilityTimeout = b.visibilityTimeout;
    this.messageTtl = b.messageTtl;
    this.expiryPolicy = b.expiryPolicy;
    this.backoff = b.backoff;
    this.ordered = b.ordered;
    this.maxPriority = b.maxPriority;
    this.deadLetterMaxSize = b.deadLetterMaxSize;
  }

  /** A builder for queue {@code name} with the defaults listed on each setter. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The queue name. */
  public String name() {
    return name;
  }

  /** The dead-letter queue's name, {@code <name>.dlq}. */
  public String deadLetterQueue() {
    return Names.deadLetterQueueOf(name);
  }

  /** Most messages the queue holds (ready, in flight and waiting to retry); 0 means unbounded. */
  public long maxSize() {
    return maxSize;
  }

  /** What publishing to a full queue does. */
  public OverflowPolicy overflow() {
    return overflow;
  }

  /** Most delivery attempts before a failing message is dead-lettered. */
  public int maxRetries() {
    return maxRetries;
  }

  /** How long a delivery is leased before the message becomes visible again. */
  public Duration visibilityTimeout() {
    return visibilityTimeout;
  }

  /** How long a message may wait for delivery, if limited. */
  public Optional<Duration> messageTtl() {
    return Optional.ofNullable(messageTtl);
  }

  /** What happens to expired messages. */
  public ExpiryPolicy expiryPolicy() {
    return expiryPolicy;
  }

  /** The delay between a failed attempt and the next. */
  public Backoff backoff() {
    return backoff;
  }

  /** Whether messages with the same key are handled one at a time, in publish order. */
  public boolean ordered() {
    return ordered;
  }

  /** Highest honoured message priority; 0 means the queue ignores priorities (plain FIFO). */
  public int maxPriority() {
    return maxPriority;
  }

  /** Most messages the dead-letter queue keeps (oldest dropped, counted, logged); 0: unbounded. */
  public long deadLetterMaxSize() {
    return deadLetterMaxSize;
  }

  /** The settings that differ from {@code other}, as {@code field: this -> other} lines. */
  public List<String> differences(QueueSpec other) {
    Map<String, Object> mine = settings();
    Map<String, Object> theirs = other.settings();
    List<String> diffs = new ArrayList<>();
    mine.forEach(
        (k, v) -> {
          if (!Objects.equals(v, theirs.get(k))) {
            diffs.add(k + ": " + v + " -> " + theirs.get(k));
          }
        });
    return diffs;
  }

  private Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("maxSize", maxSize);
    m.put("overflow", overflow);
    m.put("maxRetries", maxRetries);
    m.put("visibilityTimeout", visibilityTimeout);
    m.put("messageTtl", messageTtl);
    m.put("expiryPolicy", expiryPolicy);
    m.put("backoff", backoff);
    m.put("ordered", ordered);
    m.put("maxPriority", maxPriority);
    m.put("deadLetterMaxSize", deadLetterMaxSize);
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueueSpec && settings().equals(((QueueSpec) o).settings());
  }

  @Override
  public int hashCode() {
    return settings().hashCode();
  }

  @Override
  public String toString() {
    return "QueueSpec" + settings();
  }

  /** Builds a {@link QueueSpec}; setters validate their argument, {@link #build()} the whole. */
  public static final class Builder {
    private final String name;
    private long maxSize;
    private OverflowPolicy overflow = OverflowPolicy.REJECT;
    private int maxRetries = 3;
    private Duration visibilityTimeout = Duration.ofSeconds(30);
    private Duration messageTtl;
    private ExpiryPolicy expiryPolicy = ExpiryPolicy.DEAD_LETTER;
    private Backoff backoff =
        Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMinutes(5));
    private boolean ordered;
    private int maxPriority;
    private long deadLetterMaxSize;

    /** The queue of subscription {@code address} ({@code topic/name}, both parts checked). */
    Builder(String address, boolean subscription) {
      this.name = address;
    }

    private Builder(String name) {
      Names.requireValidDestination(name, "queue name");
      if (name.endsWith(Names.DLQ_SUFFIX)) {
        throw new ValidationException(
            "queue name '"
                + name
                + "' ends in .dlq, which is reserved for dead-letter queues; every queue gets"
                + " one automatically");
      }
      if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
          > 255 - Names.DLQ_SUFFIX.length()) {
        throw new ValidationException(
            "queue name '" + name + "' leaves no room for its .dlq suffix; use at most 251 bytes");
      }
      this.name = name;
    }

    /** Bounds the queue to {@code maxSize} messages (default 0: unbounded). */
    public Builder maxSize(long maxSize) {
      if (maxSize < 0) {
        throw new ValidationException("maxSize must be 0 (unbounded) or positive, got " + maxSize);
      }
      this.maxSize = maxSize;
      return this;
    }

    /** Sets what publishing to a full queue does (default {@code REJECT}). */
    public Builder overflow(OverflowPolicy overflow) {
      this.overflow = Objects.requireNonNull(overflow, "overflow");
      return this;
    }

    /** Sets the most delivery attempts, 1–10000 (default 3). */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 1 || maxRetries > MAX_RETRIES) {
        throw new ValidationException(
            "maxRetries is the most delivery attempts and must be 1-10000, got " + maxRetries);
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** Sets the lease length, 1 ms to 12 h (default 30 s). */
    public Builder visibilityTimeout(Duration timeout) {
      if (timeout == null
          || timeout.compareTo(Duration.ofMillis(1)) < 0
          || timeout.compareTo(Duration.ofHours(12)) > 0) {
        throw new ValidationException("visibilityTimeout must be 1ms-12h, got " + timeout);
      }
      this.visibilityTimeout = timeout;
      return this;
    }

    /**
     * Limits how long a message may wait for delivery ({@code null}: no limit, the default); at
     * most 2<sup>32</sup>-1 ms (about 49 days), the longest TTL RabbitMQ holds.
     */
    public Builder messageTtl(Duration ttl) {
      if (ttl != null && (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_MESSAGE_TTL) > 0)) {
        throw new ValidationException(
            "messageTtl must be positive and at most 4294967295ms (about 49 days), got " + ttl);
      }
      this.messageTtl = ttl;
      return this;
    }

    /** Sets what happens to expired messages (default {@code DEAD_LETTER}). */
    public Builder expiryPolicy(ExpiryPolicy policy) {
      this.expiryPolicy = Objects.requireNonNull(policy, "expiryPolicy");
      return this;
    }

    /** Sets the retry backoff (default exponential from 100 ms, doubling, capped at 5 min). */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Handles messages with the same key one at a time, in publish order (default off). */
    public Builder ordered(boolean ordered) {
      this.ordered = ordered;
      return this;
    }

    /** Honours message priorities 0..{@code maxPriority}, 1–255 (default 0: FIFO only). */
    public Builder maxPriority(int maxPriority) {
      if (maxPriority < 0 || maxPriority > Message.MAX_PRIORITY) {
        throw new ValidationException("maxPriority must be 0-255, got " + maxPriority);
      }
      this.maxPriority = maxPriority;
      return this;
    }

    /** Bounds the dead-letter queue (default 0: unbounded). */
    public Builder deadLetterMaxSize(long max) {
      if (max < 0) {
        throw new ValidationException("deadLetterMaxSize must be 0 or positive, got " + max);
      }
      this.deadLetterMaxSize = max;
      return this;
    }

    /** Checks the combination of settings and builds the spec. */
    public QueueSpec build() {
      if (ordered && maxPriority > 0) {
        throw new ValidationException(
            "queue '"
                + name
                + "' cannot be both ordered and prioritised: priorities would reorder a key's"
                + " messages");
      }
      return new QueueSpec(this);
    }
  }
}
