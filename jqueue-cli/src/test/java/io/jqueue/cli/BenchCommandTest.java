package io.jqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code jqueue bench}: short runs of the scenarios that need no RabbitMQ, and its errors. */
class BenchCommandTest {
  private static final String RABBITMQ =
      System.getenv().getOrDefault("JQUEUE_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  @DisplayName("embedded-throughput prints a row per variant and writes them as a JSON array")
  void embeddedThroughput() throws Exception {
    Path json = Path.of("target", "bench-test", "embedded-throughput.json");
    Files.deleteIfExists(json);

    int exit =
        run(
            "bench",
            "--scenario",
            "embedded-throughput",
            "--duration",
            "200ms",
            "--warmup",
            "100ms",
            "--rounds",
            "1",
            "--json",
            json.toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .containsPattern("scenario +variant +msgs/s +p50/p99/p99.9 us +CPU us/msg")
        .containsPattern("embedded-throughput +1->1 +[0-9,]+ ")
        .containsPattern("embedded-throughput +1->4 +[0-9,]+ ")
        .containsPattern("embedded-throughput +4->4 +[0-9,]+ ")
        .contains("ratio of msgs/s, higher is better");
    JsonNode rows = new ObjectMapper().readTree(json.toFile());
    assertThat(rows.isArray()).isTrue();
    assertThat(rows).hasSize(3);
    for (JsonNode row : rows) {
      assertThat(row.get("scenario").asText()).isEqualTo("embedded-throughput");
      assertThat(row.get("variant").asText()).matches("\\d->\\d");
      assertThat(row.get("msgsPerSec").asDouble()).isPositive();
      assertThat(row.get("baselineMsgsPerSec").asDouble()).isPositive();
      assertThat(row.get("ratio").asDouble()).isPositive();
      assertThat(row.get("cpuMicrosPerMsg").asDouble()).isPositive();
      assertThat(row.has("p99Micros")).isTrue();
      assertThat(row.get("p99Micros").isNull()).isTrue();
      assertThat(row.get("skipped").isNull()).isTrue();
    }
  }

  @Test
  @DisplayName("--list names every scenario with its baseline and runs nothing")
  void list() {
    assertThat(run("bench", "--list")).isZero();

    assertThat(out.toString().lines())
        .hasSize(8)
        .anySatisfy(l -> assertThat(l).startsWith("embedded-throughput").contains("baseline"))
        .anySatisfy(l -> assertThat(l).startsWith("rabbitmq-publish").contains("RabbitTemplate"));
  }

  @Test
  @DisplayName("an unknown scenario is a usage error naming the scenarios there are")
  void unknownScenario() {
    assertThat(run("bench", "--scenario", "embedded-throughput,warp-speed")).isEqualTo(2);

    assertThat(err.toString().strip().lines())
        .singleElement()
        .asString()
        .contains("unknown scenario 'warp-speed'")
        .contains("embedded-throughput", "rabbitmq-drain");
    assertThat(out.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @DisplayName("bad option values are usage errors: exit 2 and one line naming the option")
  @CsvSource({
    "--size,-1",
    "--size,7",
    "--size,2000000",
    "--rounds,0",
    "--duration,0s",
    "--duration,soon",
    "--warmup,-PT1S",
    "--producers,0",
    "--consumers,65",
    "--concurrency,0",
    "--broker,http://localhost",
  })
  void badValues(String option, String value) {
    assertThat(run("bench", "--scenario", "embedded-throughput", option, value)).isEqualTo(2);

    String text = err.toString();
    assertThat(text.strip().lines()).as(text).hasSize(1);
    assertThat(text).contains(option).doesNotContain("Exception");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  @DisplayName("RabbitMQ unreachable: its scenarios are skipped with the reason, password masked")
  void unreachableRabbitMq() {
    int exit =
        run("bench", "--scenario", "rabbitmq-publish", "--broker", "amqp://u:s3cret@127.0.0.1:1");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .containsPattern(
            "rabbitmq-publish .*skipped: RabbitMQ unreachable at amqp://u:\\*\\*\\*@127.0.0.1:1")
        .doesNotContain("s3cret");
    assertThat(err.toString()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName("rabbitmq-roundtrip runs one short round on a real RabbitMQ (skipped without one)")
  void rabbitRoundtripSmoke() {
    assumeTrue(reachable(), "RabbitMQ is not reachable at " + RABBITMQ);

    int exit =
        run(
            "bench",
            "--scenario",
            "rabbitmq-roundtrip",
            "--broker",
            RABBITMQ,
            "--duration",
            "200ms",
            "--warmup",
            "0s",
            "--rounds",
            "1");

    assertThat(exit).as(out + "\n" + err).isZero();
    assertThat(out.toString()).containsPattern("rabbitmq-roundtrip +1 in flight +[0-9,]+ ");
  }

  private static boolean reachable() {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(RABBITMQ);
      factory.setConnectionTimeout(2_000);
      try (Connection c = factory.newConnection()) {
        return true;
      }
    } catch (Exception e) {
      return false;
    }
  }
}
