package io.jqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jqueue.Broker;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.JQueueException;
import io.jqueue.LatencySummary;
import io.jqueue.QueueStats;
import io.jqueue.internal.Consumables;
import io.jqueue.internal.StatsTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jqueue stats}: the statistics table of every queue, once or every few seconds. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Prints every queue's statistics (depth, in flight, retrying, counters, dead letters,"
          + " latency) as a table: of a broker (the queues of --demo and each --queue), or of an"
          + " application that mounts the admin server (--admin http://127.0.0.1:9091). With"
          + " --watch it prints the table again every --interval seconds.",
    })
final class StatsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin BrokerChoice brokerChoice;

  @Mixin WatchedQueues watched;

  @Option(
      names = "--admin",
      paramLabel = "URL",
      description = "Read the figures from a running admin server instead of a broker.")
  URI admin;

  @Option(names = "--watch", description = "Print the table again every --interval seconds.")
  boolean watch;

  @Option(
      names = "--interval",
      defaultValue = "2",
      description = "Seconds between tables with --watch (${DEFAULT-VALUE}).")
  int intervalSeconds;

  @Option(
      names = "--count",
      defaultValue = "0",
      description = "With --watch, stop after this many tables; 0 for no end (${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--verbose", description = "Also print jqueue's own log lines.")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    String problem = problem();
    if (problem != null) {
      spec.commandLine().getErr().println(problem);
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (admin != null) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      return loop(out, () -> fromAdmin(http));
    }
    try (Broker broker = brokerChoice.open("stats");
        WatchedQueues.Session session = watched.open(broker, brokerChoice)) {
      List<AutoCloseable> running = new ArrayList<>();
      try {
        if (watched.demo()) {
          running.add(session.startDemo(broker.publisher()));
        }
        return loop(out, () -> fromBroker(broker));
      } finally {
        running.forEach(DashboardCommand::closeQuietly);
      }
    }
  }

  private String problem() {
    if (intervalSeconds < 1) {
      return "--interval must be >= 1 (seconds), got " + intervalSeconds;
    }
    if (count < 0) {
      return "--count must be >= 0, got " + count;
    }
    if (admin != null) {
      if (admin.getRawUserInfo() != null) { // and never echo it: it may be a password
        return "--admin takes no user or password (the admin server has no login; it reads a"
            + " bearer token only for redrive and purge, which stats never calls)";
      }
      String scheme = String.valueOf(admin.getScheme());
      if (!(scheme.equals("http") || scheme.equals("https")) || admin.getHost() == null) {
        return "--admin must be an http:// or https:// URL, got '" + admin + "'";
      }
      if (watched.demo() || !watched.queues.isEmpty()) {
        return "--admin reads a running admin server: --demo and --queue do not apply";
      }
      return null;
    }
    return brokerChoice.problem();
  }

  @FunctionalInterface
  private interface Source {
    List<QueueStats> read();
  }

  private int loop(PrintWriter out, Source source) throws InterruptedException {
    int printed = 0;
    while (true) {
      List<QueueStats> stats = source.read();
      if (watch) {
        out.println("-- " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
      }
      out.print(stats.isEmpty() ? noQueues() : StatsTable.format(stats));
      out.flush();
      printed++;
      if (!watch || (count > 0 && printed >= count)) {
        return 0;
      }
      Thread.sleep(intervalSeconds * 1_000L);
    }
  }

  private String noQueues() {
    return admin != null
        ? "no queues\n"
        : "no queues: a broker lists the queues it declared; name yours with --queue, or run"
            + " --demo\n";
  }

  private static List<QueueStats> fromBroker(Broker broker) {
    List<QueueStats> stats = new ArrayList<>();
    for (String q : Consumables.of(broker)) {
      try {
        stats.add(broker.stats(q));
      } catch (JQueueException e) {
        // deleted since it was listed
      }
    }
    return stats;
  }

  private List<QueueStats> fromAdmin(HttpClient http) {
    URI uri = admin.resolve("/api/queues");
    JsonNode body;
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new BrokerUnavailableException(
            "the admin server at " + admin + " answered " + r.statusCode() + " to /api/queues");
      }
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new BrokerUnavailableException(
          "cannot read " + uri + ": " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerUnavailableException("interrupted reading " + uri, e);
    }
    List<QueueStats> stats = new ArrayList<>();
    for (JsonNode q : body.path("queues")) {
      stats.add(
          QueueStats.builder(q.path("name").asText("?"))
              .ready(q.path("depth").asLong())
              .inFlight(q.path("inFlight").asLong())
              .delayed(q.path("delayed").asLong())
              .published(q.path("published").asLong())
              .acked(q.path("acked").asLong())
              .failed(q.path("failed").asLong())
              .retried(q.path("retried").asLong())
              .deadLettered(q.path("deadLettered").asLong())
              .expired(q.path("expired").asLong())
              .dropped(q.path("dropped").asLong())
              .dlqDepth(q.path("dlq").asLong())
              .latency(
                  new LatencySummary(
                      q.path("latencyCount").asLong(),
                      millis(q.path("p50Millis").asDouble()),
                      millis(q.path("p95Millis").asDouble()),
                      millis(q.path("p99Millis").asDouble()),
                      millis(q.path("maxMillis").asDouble())))
              .build());
    }
    return stats;
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos((long) Math.max(0, Math.min(ms * 1e6, Long.MAX_VALUE / 2.0)));
  }
}
