package io.jqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jqueue.rabbitmq.RabbitMqBroker;
import io.jqueue.rabbitmq.RabbitMqConfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code /health} over a real RabbitMQ: 200 while connected, 503 with the reason once this broker's
 * connections are force-closed by the server, 200 again once they recover by themselves. Closes
 * only its own connections (found by their client-provided name), so it can share the server with
 * other tests.
 */
class RabbitMqHealthEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URI =
      System.getenv().getOrDefault("JQUEUE_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672");

  @Test
  void healthGoesFrom200To503WhenTheConnectionIsForceClosedAndBackTo200WhenItRecovers()
      throws Exception {
    assumeRabbitmqctl();
    String name = "jqueue-admin-health-" + UUID.randomUUID().toString().substring(0, 8);
    RabbitMqConfig config =
        RabbitMqConfig.builder()
            .uri(URI)
            .connectionName(name)
            .statsReportInterval(Duration.ZERO)
            // a DOWN window of seconds, so that a poll every 100 ms surely sees it
            .recoveryInterval(Duration.ofSeconds(3))
            .build();
    try (RabbitMqBroker broker = RabbitMqBroker.connect(config);
        AdminServer admin = AdminServer.builder(broker).port(0).start()) {
      HttpResponse<String> up = Http.get(admin, "/health");
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(up.body()).path("status").asText()).isEqualTo("UP");

      assertThat(closeConnectionsNamed(name)).as("connections closed").isEqualTo(2);

      AtomicReference<HttpResponse<String>> down = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                HttpResponse<String> r = Http.get(admin, "/health");
                down.set(r);
                return r.statusCode() == 503;
              });
      JsonNode body = JSON.readTree(down.get().body());
      assertThat(body.path("status").asText()).isEqualTo("DOWN");
      assertThat(body.path("components").path("broker").path("reason").asText())
          .contains("lost")
          .contains("127.0.0.1");
      assertThat(down.get().body()).doesNotContain("guest:guest");

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Http.get(admin, "/health").statusCode() == 200);
      assertThat(Http.get(admin, "/health/live").statusCode()).isEqualTo(200);
    }
  }

  private static void assumeRabbitmqctl() {
    try {
      run("rabbitmqctl", "--help");
    } catch (IOException e) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI needs rabbitmqctl to force a connection loss");
      }
      assumeTrue(false, "rabbitmqctl is not on the PATH: cannot force a connection loss");
    }
  }

  /**
   * /** Closes, on the server, each connection whose client-provided name starts with {@code
   * prefix}.
   */
  private static int closeConnectionsNamed(String prefix) throws IOException {
    // one line per connection: its Erlang pid, a tab, then [{"connection_name","<name>"},...]
    String table =
        run(
            "rabbitmqctl",
            "-q",
            "--no-table-headers",
            "list_connections",
            "pid",
            "client_properties");
    List<String> ours = new ArrayList<>();
    for (String line : table.split("\n")) {
      int tab = line.indexOf('\t');
      if (tab > 0 && line.contains("{\"connection_name\",\"" + prefix)) {
        ours.add(line.substring(0, tab).trim());
      }
    }
    for (String pid : ours) {
      run("rabbitmqctl", "close_connection", pid, "jqueue admin health test");
    }
    return ours.size();
  }

  private static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IOException(String.join(" ", command) + " did not end within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: exit " + p.exitValue());
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      p.destroy();
    }
  }
}
