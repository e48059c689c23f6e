package io.jqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  @DisplayName("jqueue demo runs the order pipeline and accounts for every order")
  void orderPipeline() {
    int exit = run("demo", "--orders", "10", "--seed", "3", "--decline-every", "4");

    String text = out.toString();
    assertThat(exit).isZero();
    assertThat(text)
        .contains("declared orders", "declared payments", "declared fulfillment")
        .contains("declared notifications")
        .contains("accounting: 10 orders published = 8 notified + 2 dead-lettered")
        .contains("every order is accounted for: nothing was lost")
        .containsPattern("payments\\.dlq +ORDER-4 +REJECTED +attempts 1 +card 4000-0000-0000-0002")
        .containsPattern("payments\\.dlq +ORDER-8 +REJECTED")
        .containsPattern("orders +0 +0 +0 +10 +10 ")
        .contains("payment-processor", "processed  10");
  }

  @Test
  @DisplayName("payments that keep failing end in payments.dlq with MAX_RETRIES after 5 attempts")
  void alwaysFailingGateway() {
    int exit =
        run(
            "demo",
            "--orders",
            "3",
            "--failure-rate",
            "0.999999",
            "--decline-every",
            "0",
            "--quiet");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("accounting: 3 orders published = 0 notified + 3 dead-lettered")
        .containsPattern(
            "payments\\.dlq +ORDER-1 +MAX_RETRIES +attempts 5 +payment gateway timeout")
        .contains("nothing was lost");
  }

  @Test
  @DisplayName("jqueue demo competing shares the work and handles each message once")
  void competing() {
    int exit = run("demo", "competing", "--consumers", "3", "--messages", "9");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("9 of 9 messages handled, 0 more than once")
        .contains("consumer-1", "consumer-2", "consumer-3");
  }

  @Test
  @DisplayName("bad demo arguments exit 2 with an explanation")
  void badArguments() {
    assertThat(run("demo", "--orders", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--orders must be 1-100000");
    assertThat(run("demo", "--failure-rate", "1.5")).isEqualTo(2);
  }

  @Test
  @DisplayName("jqueue --help lists the demo command")
  void help() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: jqueue", "demo");
  }

  private static final String RABBITMQ =
      System.getenv().getOrDefault("JQUEUE_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672");

  @Test
  @DisplayName(
      "jqueue demo --broker amqp://... runs the same pipeline on RabbitMQ, same accounting")
  void orderPipelineOnRabbitMq() {
    int exit =
        run(
            "demo",
            "--broker",
            RABBITMQ,
            "--orders",
            "10",
            "--seed",
            "3",
            "--decline-every",
            "4",
            "--quiet");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("on RabbitMQ at 127.0.0.1")
        .contains("accounting: 10 orders published = 8 notified + 2 dead-lettered")
        .contains("every order is accounted for: nothing was lost")
        .containsPattern("jqueue-demo-payments\\.dlq +ORDER-4 +REJECTED");
  }

  @Test
  @DisplayName("jqueue demo competing --broker amqp://... handles each message once on RabbitMQ")
  void competingOnRabbitMq() {
    assertThat(run("demo", "competing", "--broker", RABBITMQ, "--messages", "8")).isZero();
    assertThat(out.toString()).contains("8 of 8 messages handled, 0 more than once");
  }

  @Test
  @DisplayName("jqueue demo publisher trips the circuit breaker, recovers and loses nothing")
  void publisherPipeline() {
    assertThat(run("demo", "publisher", "--messages", "5")).isZero();
    assertThat(out.toString())
        .contains("compression(256 B) > encryption(AES-256-GCM)")
        .contains("5 decrypted and decompressed by the consumer")
        .contains("CircuitOpenException: failed fast")
        .contains("circuit OPEN; publisher health: DOWN")
        .contains("circuit CLOSED; publisher health: UP")
        .containsPattern("jqueue.messages.published\\{status=success\\} 16")
        .contains("jqueue.circuit.transitions{HALF_OPEN -> CLOSED} 1")
        .contains("16 confirmed, 16 received intact")
        .contains("nothing lost");
  }

  @Test
  @DisplayName("jqueue demo publisher --broker amqp://... does the same on RabbitMQ")
  void publisherPipelineOnRabbitMq() {
    assertThat(run("demo", "publisher", "--broker", RABBITMQ, "--messages", "5")).isZero();
    assertThat(out.toString()).contains("on RabbitMQ at 127.0.0.1").contains("nothing lost");
  }

  @Test
  @DisplayName("jqueue demo pubsub fans out, filters and replays exactly the expected messages")
  void pubsub() {
    assertThat(run("demo", "pubsub")).isZero();
    assertThat(out.toString())
        .contains("vip-desk   got [order.created o-2, user.signup u-1, order.paid o-2]")
        .contains("(filtered out: 2)")
        .contains("billing got again: [order.paid o-2, order.paid o-3]")
        .contains("every subscription got exactly its messages");
  }

  @Test
  @DisplayName("jqueue demo pubsub --broker amqp://... does the same on RabbitMQ")
  void pubsubOnRabbitMq() {
    assertThat(run("demo", "pubsub", "--broker", RABBITMQ)).isZero();
    assertThat(out.toString())
        .contains("on RabbitMQ at 127.0.0.1")
        .contains("every subscription got exactly its messages");
  }

  @Test
  @DisplayName(
      "jqueue demo request-reply answers each request with its own price, reports the timeout"
          + " and the service's error, and drops the late answer")
  void requestReply() {
    assertThat(run("demo", "request-reply")).isZero();
    assertThat(out.toString())
        .containsPattern("apple +1\\.20")
        .containsPattern("kiwi +0\\.60")
        .containsPattern("durian +timed out after 1 s \\(RequestTimeoutException\\)")
        .contains("mango       service error IllegalArgumentException: no price for 'mango'")
        .contains(
            "requester stats: pending 0, completed 7, timed out 1, late replies dropped 1,"
                + " remote errors 1")
        .contains("every answered request got its own answer; the timeout was reported");
  }

  @Test
  @DisplayName("jqueue demo request-reply --broker amqp://... does the same on RabbitMQ")
  void requestReplyOnRabbitMq() {
    assertThat(run("demo", "request-reply", "--broker", RABBITMQ)).isZero();
    assertThat(out.toString())
        .contains("on queue 'jqueue-demo-prices' (RabbitMQ at 127.0.0.1")
        .contains("pending 0, completed 7, timed out 1, late replies dropped 1, remote errors 1")
        .contains("every answered request got its own answer");
  }

  @Test
  @DisplayName("an unusable --broker value exits 2 with an explanation")
  void badBroker() {
    assertThat(run("demo", "--broker", "http://localhost")).isEqualTo(2);
    assertThat(err.toString()).contains("--broker must be 'embedded' or an amqp://");
  }
}
