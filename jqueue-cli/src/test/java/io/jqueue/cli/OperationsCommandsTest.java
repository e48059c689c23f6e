package io.jqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.admin.AdminServer;
import io.jqueue.embedded.EmbeddedBroker;
import io.jqueue.embedded.EmbeddedConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code jqueue dashboard} and {@code jqueue stats}, run as a user runs them. */
class OperationsCommandsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private CommandLine cli() {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli;
  }

  private int run(String... args) {
    return cli().execute(args);
  }

  @Test
  @DisplayName("jqueue dashboard --demo serves a moving pipeline: API, Prometheus metrics, health")
  void dashboardWithDemo() throws Exception {
    CommandLine cli = cli();
    DashboardCommand dashboard = cli.getSubcommands().get("dashboard").getCommand();
    dashboard.environment = name -> null; // whatever the shell running the tests has
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> cli.execute("dashboard", "--demo", "--port", "0"));
    try {
      URI base = await().atMost(Duration.ofSeconds(30)).until(this::dashboardUri, u -> u != null);
      assertThat(base.getHost()).isEqualTo("127.0.0.1");
      assertThat(out.toString()).contains("redrive and purge: off");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(get(base.resolve("/api/queues")))
                    .contains("\"name\":\"orders\"", "\"name\":\"payments\"")
                    .containsPattern(
                        "\"name\":\"notifications\",\"depth\":\\d+,[^}]*\"acked\":[1-9]");
                assertThat(get(base.resolve("/metrics")))
                    .contains("jqueue_messages_published_total{")
                    .contains("jqueue_queue_depth_messages{queue=\"payments\"}");
              });
      assertThat(
              HTTP.send(request(base.resolve("/health")), HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    } finally {
      dashboard.stop();
    }
    assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString()).contains("stopping");
  }

  @Test
  @DisplayName("jqueue dashboard takes the token from JQUEUE_ADMIN_TOKEN and never prints it")
  void dashboardToken() {
    String token = "env-admin-token-0123456789";
    CommandLine cli = cli();
    DashboardCommand dashboard = cli.getSubcommands().get("dashboard").getCommand();
    dashboard.environment = name -> name.equals(DashboardCommand.TOKEN_VARIABLE) ? token : null;
    assertThat(cli.execute("dashboard", "--port", "0", "--duration", "1")).isZero();
    assertThat(out.toString())
        .contains("redrive and purge: on, with the token from JQUEUE_ADMIN_TOKEN")
        .doesNotContain(token);

    CommandLine shortToken = cli();
    DashboardCommand second = shortToken.getSubcommands().get("dashboard").getCommand();
    second.environment = name -> "tiny-tok";
    assertThat(shortToken.execute("dashboard", "--port", "0", "--duration", "1")).isEqualTo(1);
    assertThat(err.toString()).contains("at least 16").doesNotContain("tiny-tok");
    assertThat(out.toString()).doesNotContain("tiny-tok");
  }

  @Test
  @DisplayName("jqueue stats --demo --watch prints the table again and again")
  void statsWatch() {
    int exit = run("stats", "--demo", "--watch", "--interval", "1", "--count", "2");
    assertThat(exit).as(err.toString()).isZero();
    String text = out.toString();
    assertThat(Pattern.compile("(?m)^-- \\d\\d:\\d\\d:\\d\\d$").matcher(text).results().count())
        .isEqualTo(2);
    assertThat(Pattern.compile("(?m)^queue +depth +in-flight").matcher(text).results().count())
        .isEqualTo(2);
    assertThat(text).containsPattern("(?m)^payments +\\d+").containsPattern("(?m)^orders +\\d+");
  }

  @Test
  @DisplayName("jqueue stats --admin reads an application's admin server")
  void statsFromAdminServer() {
    try (EmbeddedBroker broker =
            EmbeddedBroker.create(
                EmbeddedConfig.builder().statsReportInterval(Duration.ZERO).build());
        AdminServer admin = AdminServer.builder(broker).port(0).start()) {
      broker.declareQueue(QueueSpec.builder("invoices").build());
      broker.publisher().publish(Message.builder().topic("invoices").text("a").build());
      broker.publisher().publish(Message.builder().topic("invoices").text("b").build());

      int exit = run("stats", "--admin", admin.uri().toString());
      assertThat(exit).as(err.toString()).isZero();
      assertThat(out.toString()).containsPattern("(?m)^invoices +2 +0 +0 +2 +0 ");
    }
  }

  @Test
  @DisplayName("jqueue stats says where the queues are when it sees none, and refuses bad options")
  void statsWithoutQueuesAndBadOptions() {
    assertThat(run("stats")).isZero();
    assertThat(out.toString()).contains("no queues").contains("--queue");
    assertThat(run("stats", "--admin", "ftp://example")).isEqualTo(2);
    assertThat(err.toString()).contains("--admin must be an http://");
    assertThat(run("stats", "--admin", "http://ops:hunter2secret@127.0.0.1:9091")).isEqualTo(2);
    assertThat(err.toString()).contains("no user or password").doesNotContain("hunter2secret");
    assertThat(run("stats", "--watch", "--interval", "0")).isEqualTo(2);
    assertThat(run("dashboard", "--port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("--port must be 0-65535");
  }

  private URI dashboardUri() {
    Matcher m = Pattern.compile("dashboard +(http://\\S+/)").matcher(out.toString());
    return m.find() ? URI.create(m.group(1)) : null;
  }

  private static HttpRequest request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
  }

  private static String get(URI uri) throws Exception {
    return HTTP.send(request(uri), HttpResponse.BodyHandlers.ofString()).body();
  }
}
