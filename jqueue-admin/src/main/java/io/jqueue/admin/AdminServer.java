package io.jqueue.admin;

import com.sun.net.httpserver.HttpServer;
import io.jqueue.Broker;
import io.jqueue.ConfigurationException;
import io.jqueue.HealthContributor;
import io.jqueue.Subscription;
import io.jqueue.ValidationException;
import io.jqueue.internal.NamedThreadFactory;
import io.jqueue.internal.Saturating;
import io.jqueue.metrics.BrokerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small admin HTTP server over one broker, on the JDK's own {@code HttpServer}: Prometheus {@code
 * /metrics}, {@code /health} probes, a JSON API over queues and dead letters, and a dashboard page
 * at {@code /}.
 *
 * <p>Safe by default: it binds to 127.0.0.1, answers only requests addressed to a loopback host
 * name while bound there (so a web page cannot reach it through DNS rebinding), shows no payloads
 * or headers of messages unless {@link Builder#showPayloads} is on, and refuses every call that
 * changes state (redrive, purge) unless it carries {@code Authorization: Bearer <token>} with the
 * token given to {@link Builder#token}; without a token those calls are switched off.
 *
 * <pre>{@code
 * try (AdminServer admin = AdminServer.builder(broker)
 *         .port(9091)
 *         .token(System.getenv("JQUEUE_ADMIN_TOKEN"))
 *         .start()) {
 *   System.out.println("dashboard at " + admin.uri());
 * }
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {
  /** The port {@link Builder} binds to unless told otherwise. */
  public static final int DEFAULT_PORT = 9091;

  /** Threads serving requests: a few slow clients do not starve the health probes. */
  private static final int THREADS = 8;

  /**
   * The JDK server's time limit on reading a request, in seconds, unless the application set {@code
   * sun.net.httpserver.maxReqTime} itself: without one a client that sends half a request holds a
   * thread for ever. It applies to every JDK HttpServer in the JVM created afterwards.
   */
  private static final String MAX_REQUEST_SECONDS = "30";

  static {
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    }
  }

  private final HttpServer server;
  private final ExecutorService workers;
  private final QueueHistory history;
  private final BrokerMetrics brokerMetrics;
  private final PrometheusMeterRegistry registry;
  private final URI uri;

  private AdminServer(Builder b) throws IOException {
    this.registry =
        b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.brokerMetrics = b.exportBrokerMetrics ? new BrokerMetrics(b.broker) : null;
    this.history = new QueueHistory(b.broker, b.sampleEvery, b.keep);
    HttpServer http = HttpServer.create(new InetSocketAddress(b.bind, b.port), 32);
    this.workers =
        Executors.newFixedThreadPool(THREADS, new NamedThreadFactory("jqueue-admin-http"));
    try {
      Requests requests = new Requests(b.bind.isLoopbackAddress(), b.token);
      http.createContext("/metrics", requests.guard(new MetricsRoute(registry, brokerMetrics)));
      http.createContext(
          "/health", requests.guard(new HealthRoute(b.broker, b.contributors, b.subscriptions)));
      http.createContext(
          "/api/", requests.guard(new ApiRoute(b.broker, history, requests, b.showPayloads)));
      http.createContext("/", requests.guard(new DashboardRoute()));
      http.setExecutor(workers);
      if (brokerMetrics != null) {
        brokerMetrics.bindTo(registry);
      }
      history.start();
      http.start();
    } catch (RuntimeException e) {
      http.stop(0);
      history.close();
      workers.shutdownNow();
      if (brokerMetrics != null) {
        brokerMetrics.close();
      }
      throw e;
    }
    this.server = http;
    InetSocketAddress bound = http.getAddress();
    String host = bound.getAddress().getHostAddress();
    this.uri =
        URI.create(
            "http://"
                + (host.contains(":") ? "[" + host + "]" : host)
                + ":"
                + bound.getPort()
                + "/");
  }

  /** A builder over {@code broker}; the server does not close the broker. */
  public static Builder builder(Broker broker) {
    return new Builder(broker);
  }

  /** The address the server listens on (with the port chosen when asked for port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The dashboard's address, for example {@code http://127.0.0.1:9091/}. */
  public URI uri() {
    return uri;
  }

  /** The registry {@code /metrics} serves. */
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /** Stops serving (requests in progress are cut off) and releases its threads. */
  @Override
  public void close() {
    server.stop(0);
    history.close();
    if (brokerMetrics != null) {
      brokerMetrics.close();
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "AdminServer[" + uri + "]";
  }

  /** Options of an {@link AdminServer}; {@link #start} binds the port. */
  public static final class Builder {
    private final Broker broker;
    private InetAddress bind = InetAddress.getLoopbackAddress();
    private int port = DEFAULT_PORT;
    private byte[] token;
    private PrometheusMeterRegistry registry;
    private boolean exportBrokerMetrics = true;
    private boolean showPayloads;
    private Duration sampleEvery = Duration.ofSeconds(1);
    private Duration keep = Duration.ofMinutes(10);
    private final Map<String, HealthContributor> contributors = new LinkedHashMap<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

    private Builder(Broker broker) {
      this.broker = Objects.requireNonNull(broker, "broker");
    }

    /**
     * The address to listen on: 127.0.0.1 by default. Anything else exposes the dashboard to
     * whoever can reach that address: put it behind your own authentication.
     */
    public Builder bind(String host) {
      try {
        this.bind = InetAddress.getByName(Objects.requireNonNull(host, "host"));
      } catch (UnknownHostException e) {
        throw new ConfigurationException("cannot bind the admin server to unknown host " + host);
      }
      return this;
    }

    /** The port, {@value #DEFAULT_PORT} by default; 0 picks a free one (see {@link #address}). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new ValidationException("port must be 0-65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The token that calls changing state must carry as {@code Authorization: Bearer <token>}; at
     * least 16 characters. Null or empty (the default) switches those calls off. Never shown.
     */
    public Builder token(String token) {
      if (token == null || token.isEmpty()) {
        this.token = null;
        return this;
      }
      if (token.length() < 16 || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new ValidationException(
            "the admin token must be at least 16 printable ASCII characters without spaces");
      }
      this.token = token.getBytes(StandardCharsets.US_ASCII);
      return this;
    }

    /** The registry {@code /metrics} serves: publish metrics and your own meters go here too. */
    public Builder meterRegistry(PrometheusMeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Whether the server exports the broker's queue and consumer meters to its registry (the
     * default). Switch it off when the broker already exports to the registry given to {@link
     * #meterRegistry} (for example through its config's {@code meterRegistry}).
     */
    public Builder exportBrokerMetrics(boolean export) {
      this.exportBrokerMetrics = export;
      return this;
    }

    /** Whether dead-letter views show payloads and headers (off by default: they may be secret). */
    public Builder showPayloads(boolean show) {
      this.showPayloads = show;
      return this;
    }

    /** A part of {@code /health}: a publisher, a circuit breaker, anything with a health. */
    public Builder health(String name, HealthContributor contributor) {
      contributors.put(requireName(name), Objects.requireNonNull(contributor, "contributor"));
      return this;
    }

    /** A consumer whose stopping makes {@code /health} DOWN. */
    public Builder watch(String name, Subscription subscription) {
      subscriptions.put(requireName(name), Objects.requireNonNull(subscription, "subscription"));
      return this;
    }

    /** How often the dashboard's figures are sampled (1 s by default). */
    public Builder sampleEvery(Duration interval) {
      if (Saturating.toMillis(interval) < 100) {
        throw new ValidationException("sample interval must be at least 100ms, got " + interval);
      }
      this.sampleEvery = interval;
      return this;
    }

    /**
     * How much history the charts keep: 10 minutes by default, at most {@value
     * QueueHistory#MAX_SAMPLES} samples (an hour at the default sample interval).
     */
    public Builder keep(Duration window) {
      this.keep = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws ConfigurationException when the port cannot be bound
     */
    public AdminServer start() {
      long samples = keep.toMillis() / sampleEvery.toMillis();
      if (samples < 2 || samples > QueueHistory.MAX_SAMPLES) {
        throw new ValidationException(
            "the history keeps "
                + samples
                + " samples of each queue ("
                + keep
                + " every "
                + sampleEvery
                + "); keep 2-"
                + QueueHistory.MAX_SAMPLES
                + ": shorten keep or sample less often");
      }
      try {
        return new AdminServer(this);
      } catch (IOException e) {
        throw new ConfigurationException(
            "cannot start the admin server on "
                + bind.getHostAddress()
                + ":"
                + port
                + ": "
                + e.getMessage(),
            e);
      }
    }

    private static String requireName(String name) {
      if (name == null || name.isBlank() || name.length() > 100) {
        throw new ValidationException("a health component needs a name of 1-100 characters");
      }
      return name;
    }
  }
}
