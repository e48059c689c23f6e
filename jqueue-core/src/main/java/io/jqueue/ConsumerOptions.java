package io.jqueue;

import io.jqueue.codec.Codec;
import io.jqueue.internal.Names;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Immutable options of a push consumer ({@link Broker#subscribe}) or of a pull ({@link
 * Broker#receive(String, ConsumerOptions, int, java.time.Duration)}), built with {@link
 * #builder()}.
 */
public final class ConsumerOptions {
  /**
   * The prefetch of a consumer that does not set one, unless its concurrency is higher: Spring
   * AMQP's default, deep enough that a fast handler does not wait for the broker's next delivery
   * (draining RabbitMQ on one host: about 3 700 msg/s at a prefetch of 1, 19 000 at 100, 23 000 at
   * 250, 25 000 at 500), and a bound on what a consumer holds. See {@link #prefetch()} for what a
   * deep prefetch costs.
   */
  public static final int DEFAULT_PREFETCH = 250;

  private final String id;
  private final int concurrency;
  private final int prefetch;
  private final Executor executor;
  private final List<ConsumeMiddleware> middlewares;
  private final Codec codec;
  private static final ConsumerOptions PULL = builder().id("pull").build();

  private ConsumerOptions(Builder b) {
    this.id = b.id != null ? b.id : Names.randomId("consumer");
    this.concurrency = b.concurrency;
    this.prefetch = b.prefetch > 0 ? b.prefetch : Math.max(b.concurrency, DEFAULT_PREFETCH);
    this.executor = b.executor;
    this.middlewares = b.middlewares;
    this.codec = b.codec;
  }

  /**
   * A builder with the defaults: random id, concurrency 1, prefetch {@value #DEFAULT_PREFETCH} (or
   * the concurrency, if higher), JSON.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The default options. */
  public static ConsumerOptions defaults() {
    return builder().build();
  }

  /**
   * The options of a plain pull ({@link Broker#receive(String, int, Duration)}): consumer id {@code
   * pull}, JSON, no middleware.
   */
  public static ConsumerOptions pull() {
    return PULL;
  }

  /** A builder holding these options, to derive changed ones. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.concurrency = concurrency;
    b.prefetch = prefetch;
    b.executor = executor;
    b.middlewares = middlewares;
    b.codec = codec;
    return b;
  }

  /** The consumer id, shown in stats (default: {@code consumer-} and 8 random hex digits). */
  public String id() {
    return id;
  }

  /** How many handlers of this consumer run at once. */
  public int concurrency() {
    return concurrency;
  }

  /**
   * How many unsettled messages this consumer may hold at once, running or waiting for a free
   * handler (default: {@value #DEFAULT_PREFETCH}, or the concurrency if higher). Values below the
   * concurrency also cap it.
   *
   * <p>The trade-off: a deeper prefetch keeps handlers busy while the next messages are on their
   * way (a prefetch of 1 makes every message wait for a round trip to the broker). But a buffered
   * message is one its competitors cannot take, costs memory until it is handled, and waits behind
   * the ones before it; its lease starts only when its handler does, and if it waits a whole
   * visibility timeout it goes back to the queue with no attempt counted. For slow handlers, or to
   * share a short queue evenly between consumers, set it near {@code concurrency × visibility
   * timeout ÷ handler time} or lower; for fast handlers of small messages, higher.
   */
  public int prefetch() {
    return prefetch;
  }

  /**
   * The executor that runs handlers, if supplied (for example virtual threads on JDK 21+); when
   * empty the consumer creates {@link #concurrency()} daemon threads and stops them on close. A
   * supplied executor is never shut down by jqueue.
   */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /** The consume middlewares, first listed outermost. */
  public List<ConsumeMiddleware> middlewares() {
    return middlewares;
  }

  /** The codec used by {@link Delivery#data}. */
  public Codec codec() {
    return codec;
  }

  @Override
  public String toString() {
    return "ConsumerOptions{id="
        + id
        + ", concurrency="
        + concurrency
        + ", prefetch="
        + prefetch
        + ", executor="
        + (executor == null ? "own threads" : executor.getClass().getSimpleName())
        + ", middlewares="
        + middlewares.stream().map(ConsumeMiddleware::name).toList()
        + '}';
  }

  /** Builds {@link ConsumerOptions}; each setter validates its argument. */
  public static final class Builder {
    private String id;
    private int concurrency = 1;
    private int prefetch;
    private Executor executor;
    private List<ConsumeMiddleware> middlewares = List.of();
    private Codec codec = Codec.json();

    private Builder() {}

    /** Sets the consumer id. */
    public Builder id(String id) {
      if (id == null || id.isBlank()) {
        throw new ValidationException("consumer id must not be blank");
      }
      this.id = id;
      return this;
    }

    /** Sets how many handlers run at once (1–1000). */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1 || concurrency > 1000) {
        throw new ValidationException("concurrency must be 1-1000, got " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Sets how many unsettled messages the consumer may hold (1–100000; default {@value
     * ConsumerOptions#DEFAULT_PREFETCH}, or the concurrency if higher); see {@link
     * ConsumerOptions#prefetch()} for the trade-off.
     */
    public Builder prefetch(int prefetch) {
      if (prefetch < 1 || prefetch > 100_000) {
        throw new ValidationException("prefetch must be 1-100000, got " + prefetch);
      }
      this.prefetch = prefetch;
      return this;
    }

    /** Runs handlers on {@code executor} instead of the consumer's own threads. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Sets the consume middlewares; the first listed runs outermost. */
    public Builder middlewares(ConsumeMiddleware... middlewares) {
      List<ConsumeMiddleware> list = Arrays.asList(middlewares);
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) == null) {
          throw new ValidationException("consume middleware #" + i + " is null");
        }
      }
      this.middlewares = List.copyOf(list);
      return this;
    }

    /** Sets the codec used by {@link Delivery#data}. */
    public Builder codec(Codec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** Builds the options. */
    public ConsumerOptions build() {
      return new ConsumerOptions(this);
    }
  }
}
