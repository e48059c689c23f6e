package io.jqueue.cli;

import io.jqueue.Broker;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.admin.AdminServer;
import io.jqueue.middleware.Middlewares;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jqueue dashboard}: the admin server (dashboard, /metrics, /health, API) over a broker. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the admin server over a broker: the dashboard page, Prometheus /metrics, /health"
          + " probes and the JSON API. With --demo an order pipeline runs without end so that"
          + " the page moves. Redrive and purge need the token in JQUEUE_ADMIN_TOKEN (16 or more"
          + " characters); without it they are switched off. Ctrl-C stops it.",
    })
final class DashboardCommand implements Callable<Integer> {
  static final String TOKEN_VARIABLE = "JQUEUE_ADMIN_TOKEN";

  @Spec CommandSpec spec;

  @Mixin BrokerChoice brokerChoice;

  @Mixin WatchedQueues watched;

  @Option(
      names = "--port",
      defaultValue = "" + AdminServer.DEFAULT_PORT,
      description = "Port to listen on, 0 for any free one (${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on (${DEFAULT-VALUE}); anything else exposes the dashboard to"
              + " whoever reaches that address.")
  String bind;

  @Option(
      names = "--show-payloads",
      description = "Show payloads and headers of dead letters (off: they may be secret).")
  boolean showPayloads;

  @Option(
      names = "--duration",
      defaultValue = "0",
      description = "Stop after this many seconds; 0 runs until Ctrl-C (${DEFAULT-VALUE}).")
  long durationSeconds;

  @Option(names = "--verbose", description = "Also print jqueue's own log lines.")
  boolean verbose;

  private final CountDownLatch stop = new CountDownLatch(1);

  /** Where the token comes from: the environment; tests give their own. */
  Function<String, String> environment = System::getenv;

  /** Ends a running {@link #call} as Ctrl-C does. */
  void stop() {
    stop.countDown();
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String problem = brokerChoice.problem();
    if (problem == null && (port < 0 || port > 65_535)) {
      problem = "--port must be 0-65535, got " + port;
    }
    if (problem == null && durationSeconds < 0) {
      problem = "--duration must be >= 0, got " + durationSeconds;
    }
    if (problem != null) {
      spec.commandLine().getErr().println(problem);
      return 2;
    }
    String token = environment.apply(TOKEN_VARIABLE);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              awaitQuietly(stopped);
            },
            "jqueue-dashboard-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Broker broker = brokerChoice.open("dashboard");
        WatchedQueues.Session session = watched.open(broker, brokerChoice)) {
      AdminServer.Builder admin =
          AdminServer.builder(broker).bind(bind).port(port).token(token).showPayloads(showPayloads);
      List<AutoCloseable> running = new ArrayList<>();
      try (AdminServer server = admin.start()) {
        try {
          if (watched.demo()) {
            Publisher publisher =
                broker.publisher(
                    PublisherOptions.builder()
                        .id("demo-orders")
                        .middlewares(Middlewares.metrics(server.meterRegistry()))
                        .build());
            running.add(publisher);
            running.add(session.startDemo(publisher));
          }
          printBanner(out, server, token != null && !token.isEmpty());
          if (durationSeconds > 0) {
            stop.await(durationSeconds, TimeUnit.SECONDS);
          } else {
            stop.await();
          }
          out.println("stopping");
          out.flush();
        } finally {
          for (int i = running.size() - 1; i >= 0; i--) {
            closeQuietly(running.get(i)); // the feed before its publisher, both before the server
          }
        }
      }
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running and waits for us
      }
    }
    return 0;
  }

  private void printBanner(PrintWriter out, AdminServer server, boolean mutations) {
    out.printf(
        "jqueue dashboard on %s%s%n",
        brokerChoice.describe(), watched.demo() ? " (demo running)" : "");
    out.printf("  dashboard  %s%n", server.uri());
    out.printf("  metrics    %s%n", server.uri().resolve("/metrics"));
    out.printf("  health     %s%n", server.uri().resolve("/health"));
    out.printf(
        "  redrive and purge: %s%n",
        mutations
            ? "on, with the token from " + TOKEN_VARIABLE
            : "off (set " + TOKEN_VARIABLE + " to 16 or more characters to switch them on)");
    out.println(durationSeconds > 0 ? "stops after " + durationSeconds + "s" : "Ctrl-C stops it");
    out.flush();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // stopping anyway
    }
  }
}
