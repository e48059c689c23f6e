package io.jqueue;

import io.jqueue.internal.Checks;
import io.jqueue.internal.Names;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Immutable options of a {@link Publisher}, built with {@link #builder()}. */
public final class PublisherOptions {
  private final String id;
  private final List<PublishMiddleware> middlewares;
  private final Map<String, String> defaultHeaders;
  private final MessageLimits limits;
  private final Duration publishTimeout;
  private final int asyncConcurrency;
  private final int asyncQueueCapacity;

  private PublisherOptions(Builder b) {
    this.id = b.id != null ? b.id : Names.randomId("publisher");
    this.middlewares = List.copyOf(b.middlewares);
    this.defaultHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.defaultHeaders));
    this.limits = b.limits;
    this.publishTimeout = b.publishTimeout;
    this.asyncConcurrency = b.asyncConcurrency;
    this.asyncQueueCapacity = b.asyncQueueCapacity;
  }

  /** A builder with the defaults: random id, no middleware, default limits, 10 s timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /** The default options. */
  public static PublisherOptions defaults() {
    return builder().build();
  }

  /** This publisher's id (default: {@code publisher-} and 8 random hex digits). */
  public String id() {
    return id;
  }

  /** The middlewares, first listed outermost. */
  public List<PublishMiddleware> middlewares() {
    return middlewares;
  }

  /** Headers added to every message that does not set them itself. */
  public Map<String, String> defaultHeaders() {
    return defaultHeaders;
  }

  /** Payload and header limits checked before sending. */
  public MessageLimits limits() {
    return limits;
  }

  /** How long {@link Publisher#publish(Message)} waits at most (default 10 s). */
  public Duration publishTimeout() {
    return publishTimeout;
  }

  /** Threads that run {@link Publisher#publishAsync} publishes (default 2). */
  public int asyncConcurrency() {
    return asyncConcurrency;
  }

  /** Asynchronous publishes that may wait for a thread before the caller runs one (1024). */
  public int asyncQueueCapacity() {
    return asyncQueueCapacity;
  }

  @Override
  public String toString() {
    return "PublisherOptions{id="
        + id
        + ", middlewares="
        + middlewares.stream().map(PublishMiddleware::name).toList()
        + ", defaultHeaders="
        + defaultHeaders.keySet()
        + ", limits="
        + limits
        + ", publishTimeout="
        + publishTimeout
        + '}';
  }

  /** Builds {@link PublisherOptions}; each setter validates its argument. */
  public static final class Builder {
    private String id;
    private List<PublishMiddleware> middlewares = List.of();
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();
    private MessageLimits limits = MessageLimits.defaults();
    private Duration publishTimeout = Duration.ofSeconds(10);
    private int asyncConcurrency = 2;
    private int asyncQueueCapacity = 1024;

    private Builder() {}

    /** Sets the publisher id. */
    public Builder id(String id) {
      if (id == null || id.isBlank()) {
        throw new ValidationException("publisher id must not be blank");
      }
      this.id = id;
      return this;
    }

    /** Sets the middlewares; the first listed runs outermost. */
    public Builder middlewares(PublishMiddleware... middlewares) {
      return middlewares(Arrays.asList(middlewares));
    }

    /** Sets the middlewares; the first listed runs outermost. */
    public Builder middlewares(List<PublishMiddleware> middlewares) {
      for (int i = 0; i < middlewares.size(); i++) {
        if (middlewares.get(i) == null) {
          throw new ValidationException("middleware #" + i + " is null");
        }
      }
      this.middlewares = List.copyOf(middlewares);
      return this;
    }

    /** Adds headers set on every message that does not set them itself. */
    public Builder defaultHeaders(Map<String, String> headers) {
      Checks.copyHeaders(headers, defaultHeaders);
      return this;
    }

    /** Sets payload and header limits. */
    public Builder limits(MessageLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Sets the default publish timeout (positive). */
    public Builder publishTimeout(Duration timeout) {
      this.publishTimeout = Checks.positive(timeout, "publishTimeout");
      return this;
    }

    /** Sets how many threads run asynchronous publishes (1–64). */
    public Builder asyncConcurrency(int threads) {
      if (threads < 1 || threads > 64) {
        throw new ValidationException("asyncConcurrency must be 1-64, got " + threads);
      }
      this.asyncConcurrency = threads;
      return this;
    }

    /** Sets how many asynchronous publishes may wait for a thread (1–1,000,000). */
    public Builder asyncQueueCapacity(int capacity) {
      if (capacity < 1 || capacity > 1_000_000) {
        throw new ValidationException("asyncQueueCapacity must be 1-1000000, got " + capacity);
      }
      this.asyncQueueCapacity = capacity;
      return this;
    }

    /** Builds the options. */
    public PublisherOptions build() {
      return new PublisherOptions(this);
    }
  }
}
