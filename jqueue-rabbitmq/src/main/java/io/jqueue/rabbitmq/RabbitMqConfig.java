package io.jqueue.rabbitmq;

import com.rabbitmq.client.ConnectionFactory;
import io.jqueue.ConfigurationException;
import io.jqueue.ValidationException;
import io.jqueue.internal.Checks;
import io.jqueue.time.TimeSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Immutable settings of a {@link RabbitMqBroker}, built with {@link #builder()}. The publisher
 * options of GoQueue's RabbitMQ publisher are here under the same names: the connection URI, {@code
 * channelPoolSize}, {@code exchange}, {@code mandatory}, {@code immediate} (refused: RabbitMQ
 * removed it in 3.0) and {@code defaultHeaders}.
 */
public final class RabbitMqConfig {
  /** How queues are stored by RabbitMQ. */
  public enum QueueType {
    /** Classic queues (default): every feature jqueue maps, on one node. */
    CLASSIC,
    /** Quorum queues: replicated; no priorities. */
    QUORUM
  }

  private final AmqpUri endpoint;
  private final String connectionName;
  private final int channelPoolSize;
  private final Duration channelCheckoutTimeout;
  private final int maxOutstandingConfirms;
  private final String exchange;
  private final boolean mandatory;
  private final Map<String, String> defaultHeaders;
  private final QueueType queueType;
  private final int orderedPartitions;
  private final Duration recoveryInterval;
  private final Duration operationTimeout;
  private final Duration statsReportInterval;
  private final MeterRegistry meterRegistry;
  private final SSLContext sslContext;
  private final TimeSource timeSource;
  private final ConnectionFactory factory;

  private RabbitMqConfig(Builder b) {
    this.endpoint = b.endpoint;
    this.connectionName = b.connectionName;
    this.channelPoolSize = b.channelPoolSize;
    this.channelCheckoutTimeout = b.channelCheckoutTimeout;
    this.maxOutstandingConfirms = b.maxOutstandingConfirms;
    this.exchange = b.exchange;
    this.mandatory = b.mandatory;
    this.defaultHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.defaultHeaders));
    this.queueType = b.queueType;
    this.orderedPartitions = b.orderedPartitions;
    this.recoveryInterval = b.recoveryInterval;
    this.operationTimeout = b.operationTimeout;
    this.statsReportInterval = b.statsReportInterval;
    this.meterRegistry = b.meterRegistry;
    this.sslContext = b.sslContext;
    this.timeSource = b.timeSource;
    this.factory = b.factory;
  }

  /** A builder with the defaults (guest on 127.0.0.1:5672, 5 publishing channels). */
  public static Builder builder() {
    return new Builder();
  }

  /** A config for {@code uri} with the defaults (see {@link Builder#uri}). */
  public static RabbitMqConfig of(String uri) {
    return builder().uri(uri).build();
  }

  /**
   * The broker URI as given but with its password replaced by {@code ***}, so it is safe to print
   * or log; the password itself never leaves the config. {@code amqps://} turns on TLS with
   * certificate and host name checks. {@link URI#getHost()} is null for host names with an
   * underscore: use {@link #host()}.
   */
  public URI uri() {
    return URI.create(AmqpUri.redact(endpoint.uri.toString()));
  }

  /** The host to connect to, as the URI names it. */
  public String host() {
    return endpoint.host;
  }

  /** The port to connect to: the URI's, else 5672 ({@code amqp}) or 5671 ({@code amqps}). */
  public int port() {
    return endpoint.port;
  }

  /** The vhost, decoded: {@code /} when the URI has no path, {@code a/b} for {@code /a%2Fb}. */
  public String virtualHost() {
    return endpoint.virtualHost;
  }

  /** The user name, decoded; {@code guest} when the URI has no user info. */
  public String username() {
    return endpoint.username;
  }

  /** Whether the connection uses TLS ({@code amqps://}). */
  public boolean tls() {
    return endpoint.tls;
  }

  AmqpUri endpoint() {
    return endpoint;
  }

  Optional<ConnectionFactory> connectionFactory() {
    return Optional.ofNullable(factory);
  }

  /** The name the connections show in RabbitMQ's management tools. */
  public String connectionName() {
    return connectionName;
  }

  /** Publishing channels in the pool (default 5); never exceeded. */
  public int channelPoolSize() {
    return channelPoolSize;
  }

  /** Longest wait for a free publishing channel, within the publish timeout (default 5 s). */
  public Duration channelCheckoutTimeout() {
    return channelCheckoutTimeout;
  }

  /** Unconfirmed publishes allowed per channel before publishers wait (default 1000). */
  public int maxOutstandingConfirms() {
    return maxOutstandingConfirms;
  }

  /**
   * The exchange messages are published to (default {@code ""}, the default exchange, which routes
   * by queue name). A named exchange is declared as a durable direct exchange and every declared
   * queue is bound to it with its own name as the routing key.
   */
  public String exchange() {
    return exchange;
  }

  /**
   * Whether publishes are mandatory (default true): an unroutable message is returned and the
   * publish fails. When false RabbitMQ drops unroutable messages without telling anyone.
   */
  public boolean mandatory() {
    return mandatory;
  }

  /** Headers added to every published message that does not set them itself. */
  public Map<String, String> defaultHeaders() {
    return defaultHeaders;
  }

  /** The RabbitMQ queue type of declared queues. */
  public QueueType queueType() {
    return queueType;
  }

  /** How many partition queues an ordered queue is spread over (default 4). */
  public int orderedPartitions() {
    return orderedPartitions;
  }

  /** Wait between reconnection attempts after a connection loss (default 1 s). */
  public Duration recoveryInterval() {
    return recoveryInterval;
  }

  /** Bound on each declare, delete or passive check (default 10 s). */
  public Duration operationTimeout() {
    return operationTimeout;
  }

  /** How often queue statistics are logged; zero turns the report off (default 30 s). */
  public Duration statsReportInterval() {
    return statsReportInterval;
  }

  /** The registry queue statistics are exported to, if any. */
  public Optional<MeterRegistry> meterRegistry() {
    return Optional.ofNullable(meterRegistry);
  }

  /** The TLS context of {@code amqps://}, if given (else the JVM's); chain and host are checked. */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(sslContext);
  }

  /**
   * The clock of what this client decides (leases, in-process backoff, expiry checks), if given;
   * RabbitMQ's own timers (queue TTLs, retry delay queues) and waits on the wire keep real time.
   */
  public Optional<TimeSource> timeSource() {
    return Optional.ofNullable(timeSource);
  }

  @Override
  public String toString() {
    String tlsContext = sslContext != null ? ", sslContext=custom" : "";
    return String.format(
        "RabbitMqConfig{uri=%s, channelPoolSize=%d, exchange='%s', mandatory=%s, queueType=%s%s}",
        endpoint, channelPoolSize, exchange, mandatory, queueType, tlsContext);
  }

  /** {@code uri} with its password (any string, valid URI or not) masked as {@code ***}. */
  public static String redact(String uri) {
    return AmqpUri.redact(uri);
  }

  /** Builds a {@link RabbitMqConfig}; each setter validates its argument. */
  public static final class Builder {
    private AmqpUri endpoint = AmqpUri.parse("amqp://guest:guest@127.0.0.1:5672");
    private String connectionName = "jqueue";
    private int channelPoolSize = 5;
    private Duration channelCheckoutTimeout = Duration.ofSeconds(5);
    private int maxOutstandingConfirms = 1000;
    private String exchange = "";
    private boolean mandatory = true;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();
    private QueueType queueType = QueueType.CLASSIC;
    private int orderedPartitions = 4;
    private Duration recoveryInterval = Duration.ofSeconds(1);
    private Duration operationTimeout = Duration.ofSeconds(10);
    private Duration statsReportInterval = Duration.ofSeconds(30);
    private MeterRegistry meterRegistry;
    private SSLContext sslContext;
    private TimeSource timeSource;
    private ConnectionFactory factory;

    private Builder() {}

    /**
     * Sets the broker URI, {@code amqp://user:password@host:port/vhost} or {@code amqps://...}.
     * User name, password and vhost are percent-decoded; host names may contain {@code _}. Without
     * a path the default vhost is used ({@code /%2F} too), a bare trailing {@code /} is refused.
     *
     * @throws ConfigurationException when any part is missing or unusable (no host, a port outside
     *     1-65535, a user without a password, a bare trailing {@code /}, characters that must be
     *     percent-encoded, query parameters); the message shows the URI with its password masked
     */
    public Builder uri(String uri) {
      this.endpoint = AmqpUri.parse(uri);
      return this;
    }

    /** Sets the connection name shown by RabbitMQ. */
    public Builder connectionName(String name) {
      if (name == null || name.isBlank()) {
        throw new ValidationException("connectionName must not be blank");
      }
      this.connectionName = name;
      return this;
    }

    /** Sets how many publishing channels the pool holds, 1–64 (default 5). */
    public Builder channelPoolSize(int size) {
      this.channelPoolSize = ConfigChecks.within(size, 1, 64, "channelPoolSize");
      return this;
    }

    /** Sets the longest wait for a free channel (positive; default 5 s). */
    public Builder channelCheckoutTimeout(Duration timeout) {
      this.channelCheckoutTimeout = Checks.positive(timeout, "channelCheckoutTimeout");
      return this;
    }

    /** Sets the unconfirmed publishes allowed per channel, 1–100000 (default 1000). */
    public Builder maxOutstandingConfirms(int max) {
      this.maxOutstandingConfirms = ConfigChecks.within(max, 1, 100_000, "maxOutstandingConfirms");
      return this;
    }

    /** Publishes through {@code exchange} ({@code ""}: the default exchange). */
    public Builder exchange(String exchange) {
      this.exchange = ConfigChecks.exchange(exchange);
      return this;
    }

    /** Sets whether publishes are mandatory (default true; see {@link #mandatory()}). */
    public Builder mandatory(boolean mandatory) {
      this.mandatory = mandatory;
      return this;
    }

    /**
     * Only {@code false}: RabbitMQ removed {@code immediate} in 3.0 ({@code
     * ConfigurationException}).
     */
    public Builder immediate(boolean immediate) {
      if (immediate) {
        throw new ConfigurationException(
            "immediate=true is not supported: RabbitMQ removed the immediate flag in 3.0 and"
                + " answers it with a connection error. To learn that nobody consumed a message"
                + " in time, give the queue a messageTtl: expired messages go to its dead-letter"
                + " queue with reason EXPIRED");
      }
      return this;
    }

    /** Adds headers set on every published message that does not set them itself. */
    public Builder defaultHeaders(Map<String, String> headers) {
      Checks.copyHeaders(headers, defaultHeaders);
      return this;
    }

    /** Sets the queue type of declared queues (default classic). */
    public Builder queueType(QueueType type) {
      this.queueType = Objects.requireNonNull(type, "queueType");
      return this;
    }

    /** Sets the partition count of ordered queues, 1–64 (default 4). */
    public Builder orderedPartitions(int partitions) {
      this.orderedPartitions = ConfigChecks.within(partitions, 1, 64, "orderedPartitions");
      return this;
    }

    /** Sets the wait between reconnection attempts (positive; default 1 s). */
    public Builder recoveryInterval(Duration interval) {
      this.recoveryInterval = Checks.positive(interval, "recoveryInterval");
      return this;
    }

    /** Sets the bound on declares, deletes and passive checks (positive; default 10 s). */
    public Builder operationTimeout(Duration timeout) {
      this.operationTimeout = Checks.positive(timeout, "operationTimeout");
      return this;
    }

    /** Sets the stats report period; {@link Duration#ZERO} turns it off (default 30 s). */
    public Builder statsReportInterval(Duration interval) {
      this.statsReportInterval = Checks.notNegative(interval, "statsReportInterval");
      return this;
    }

    /** Exports every queue's statistics to {@code registry}. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Sets the TLS context of {@code amqps://} connections, e.g. one whose trust manager trusts a
     * private CA. jqueue still turns on host name verification on top of it; never pass a context
     * that trusts every certificate. Not shown by {@link #toString()}.
     */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "sslContext");
      return this;
    }

    /**
     * Connects through a copy of {@code factory} (host, credentials, TLS and socket settings as the
     * application set them up) instead of a URI; jqueue turns on automatic and topology recovery in
     * its copy, and bounds operations by {@link #operationTimeout} where the factory leaves them
     * unbounded.
     */
    public Builder connectionFactory(ConnectionFactory factory) {
      this.factory = Objects.requireNonNull(factory, "factory").clone();
      this.endpoint = AmqpUri.of(this.factory);
      return this;
    }

    /**
     * Uses {@code timeSource} (for example a {@code io.jqueue.time.ManualTimeSource} in tests)
     * instead of real time for what this client decides; the broker never closes it.
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * Builds the config.
     *
     * @throws ConfigurationException when an {@link #sslContext} is set for an {@code amqp://} URI
     */
    public RabbitMqConfig build() {
      if (sslContext != null && !endpoint.tls) {
        throw new ConfigurationException(
            "an sslContext is set but the URI "
                + endpoint
                + " is not amqps://: use amqps:// to connect with TLS");
      }
      return new RabbitMqConfig(this);
    }
  }
}
