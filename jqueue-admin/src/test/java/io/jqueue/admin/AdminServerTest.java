package io.jqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jqueue.Backoff;
import io.jqueue.Message;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueSpec;
import io.jqueue.Subscription;
import io.jqueue.embedded.EmbeddedBroker;
import io.jqueue.embedded.EmbeddedConfig;
import io.jqueue.middleware.Middlewares;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin server's HTTP surface over an embedded broker with traffic. */
class AdminServerTest {
  static final String TOKEN = "s3cret-admin-token-0123";
  private static final ObjectMapper JSON = new ObjectMapper();

  private EmbeddedBroker broker;
  private AdminServer admin;

  @BeforeEach
  void start() {
    broker =
        EmbeddedBroker.create(EmbeddedConfig.builder().statsReportInterval(Duration.ZERO).build());
    broker.declareQueue(QueueSpec.builder("orders").build());
    broker.declareQueue(QueueSpec.builder("emails").maxRetries(1).backoff(Backoff.none()).build());
    admin = AdminServer.builder(broker).port(0).token(TOKEN).start();
  }

  @AfterEach
  void stop() {
    if (admin != null) {
      admin.close();
    }
    broker.close();
  }

  @Test
  void metricsParseAsPrometheusTextAndHoldTheQueueMeters() throws Exception {
    var publisher =
        broker.publisher(
            PublisherOptions.builder()
                .middlewares(Middlewares.metrics(admin.meterRegistry()))
                .build());
    for (int i = 0; i < 3; i++) {
      publisher.publish(Message.builder().topic("orders").text("o" + i).build());
    }
    CountDownLatch handled = new CountDownLatch(2);
    try (Subscription sub = broker.subscribe("emails", d -> handled.countDown())) {
      publisher.publish(Message.builder().topic("emails").text("e1").build());
      publisher.publish(Message.builder().topic("emails").text("e2").build());
      assertThat(handled.await(10, TimeUnit.SECONDS)).isTrue();

      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () -> {
                HttpResponse<String> r = Http.get(admin, "/metrics");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type"))
                    .hasValue(MetricsRoute.CONTENT_TYPE);
                Map<String, PrometheusText.Family> families = PrometheusText.parse(r.body());
                assertThat(families)
                    .containsKeys(
                        "jqueue_queue_depth_messages",
                        "jqueue_queue_published_total",
                        "jqueue_queue_acked_total",
                        "jqueue_messages_published_total");
                assertThat(families.get("jqueue_queue_depth_messages").type()).isEqualTo("gauge");
                assertThat(value(families, "jqueue_queue_depth_messages", "queue", "orders"))
                    .isEqualTo(3.0);
                assertThat(value(families, "jqueue_queue_depth_messages", "queue", "emails"))
                    .isEqualTo(0.0);
                assertThat(families.get("jqueue_queue_published_total").type())
                    .isEqualTo("counter");
                assertThat(value(families, "jqueue_queue_published_total", "queue", "orders"))
                    .isEqualTo(3.0);
                assertThat(value(families, "jqueue_queue_acked_total", "queue", "emails"))
                    .isEqualTo(2.0);
                assertThat(
                        value(
                            families,
                            "jqueue_messages_published_total",
                            Map.of("topic", "orders", "status", "success")))
                    .isEqualTo(3.0);
              });
    }
  }

  @Test
  void healthIsUpThenDownWithTheReasonOnceTheBrokerOrAWatchedConsumerStops() throws Exception {
    Subscription sub = broker.subscribe("orders", d -> {});
    try (AdminServer watching =
        AdminServer.builder(broker).port(0).watch("orders-consumer", sub).start()) {
      HttpResponse<String> up = Http.get(watching, "/health/ready");
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(up.body()).path("status").asText()).isEqualTo("UP");

      sub.close();
      HttpResponse<String> stopped = Http.get(watching, "/health");
      assertThat(stopped.statusCode()).isEqualTo(503);
      JsonNode body = JSON.readTree(stopped.body());
      assertThat(body.path("status").asText()).isEqualTo("DOWN");
      assertThat(body.path("components").path("orders-consumer").path("reason").asText())
          .contains("has stopped");
      assertThat(Http.get(watching, "/health/live").statusCode()).isEqualTo(200);
    }
    broker.deleteQueue("orders");
    broker.deleteQueue("emails"); // no queue left: liveness must not depend on one
    broker.close();
    HttpResponse<String> closed = Http.get(admin, "/health");
    assertThat(closed.statusCode()).isEqualTo(503);
    assertThat(
            JSON.readTree(closed.body()).path("components").path("broker").path("reason").asText())
        .contains("closed");
    assertThat(Http.get(admin, "/health/live").statusCode()).isEqualTo(503);
  }

  @Test
  void queuesApiListsEachQueueWithItsFigures() throws Exception {
    broker.publisher().publish(Message.builder().topic("orders").text("x").build());
    JsonNode queues = JSON.readTree(Http.get(admin, "/api/queues").body()).path("queues");
    assertThat(queues).extracting(q -> q.path("name").asText()).contains("orders", "emails");
    JsonNode orders = JSON.readTree(Http.get(admin, "/api/queues/orders").body());
    assertThat(orders.path("depth").asLong()).isEqualTo(1);
    assertThat(orders.path("published").asLong()).isEqualTo(1);

    broker.declareTopic(io.jqueue.TopicSpec.builder("events").build());
    broker.declareSubscription(io.jqueue.SubscriptionSpec.builder("events", "audit").build());
    assertThat(JSON.readTree(Http.get(admin, "/api/queues").body()).path("queues"))
        .extracting(q -> q.path("name").asText())
        .contains("events/audit");
    HttpResponse<String> subscription = Http.get(admin, "/api/queues/events%2Faudit");
    assertThat(subscription.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(subscription.body()).path("name").asText()).isEqualTo("events/audit");

    HttpResponse<String> missing = Http.get(admin, "/api/queues/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).path("error").asText()).contains("nope");
    assertThat(Http.get(admin, "/api/queues/orders/dead-letters?max=abc").statusCode())
        .isEqualTo(400);
    assertThat(Http.get(admin, "/api/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void deadLettersArePeekedWithoutPayloadAndRedrivenOrPurgedOnlyWithTheToken() throws Exception {
    deadLetter("emails", "card 4111 1111 1111 1111", "<b>smtp</b> refused");
    JsonNode peek = JSON.readTree(Http.get(admin, "/api/queues/emails/dead-letters").body());
    assertThat(peek.path("count").asLong()).isEqualTo(1);
    JsonNode letter = peek.path("letters").get(0);
    assertThat(letter.path("reason").asText()).isEqualTo("MAX_RETRIES");
    assertThat(letter.path("attempts").asInt()).isEqualTo(1);
    assertThat(letter.path("errorMessage").asText()).isEqualTo("<b>smtp</b> refused");
    assertThat(letter.has("payload")).as("payloads are off by default").isFalse();
    assertThat(peek.toString()).doesNotContain("4111");

    String redrive = "/api/queues/emails/dead-letters/redrive";
    assertThat(Http.post(admin, redrive, null).statusCode()).isEqualTo(401);
    assertThat(Http.post(admin, redrive, "Bearer wrong-token-0123456789").statusCode())
        .isEqualTo(401);
    assertThat(Http.post(admin, redrive + "?token=" + TOKEN, null).statusCode())
        .as("a token in the query string is not a token")
        .isEqualTo(401);
    assertThat(Http.get(admin, redrive).statusCode()).isEqualTo(405);
    assertThat(broker.deadLetters("emails").count()).isEqualTo(1);

    HttpResponse<String> moved = Http.post(admin, redrive, "Bearer " + TOKEN);
    assertThat(moved.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(moved.body()).path("redriven").asLong()).isEqualTo(1);
    assertThat(broker.deadLetters("emails").count()).isZero();
    assertThat(broker.stats("emails").ready()).isEqualTo(1);

    deadLetter("orders", "o", "boom");
    String purge = "/api/queues/orders/dead-letters/purge";
    assertThat(Http.post(admin, purge, null).statusCode()).isEqualTo(401);
    HttpResponse<String> purged = Http.post(admin, purge, "Bearer " + TOKEN);
    assertThat(JSON.readTree(purged.body()).path("purged").asLong()).isEqualTo(1);
    assertThat(broker.deadLetters("orders").count()).isZero();
  }

  @Test
  void withoutATokenStateChangingCallsAreSwitchedOffAndPayloadsShowOnlyWhenAskedFor()
      throws Exception {
    deadLetter("emails", "hello", "boom");
    try (AdminServer open = AdminServer.builder(broker).port(0).showPayloads(true).start()) {
      HttpResponse<String> r =
          Http.post(open, "/api/queues/emails/dead-letters/redrive", "Bearer anything-at-all-123");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(JSON.readTree(r.body()).path("error").asText()).contains("switched off");
      JsonNode letter =
          JSON.readTree(Http.get(open, "/api/queues/emails/dead-letters").body())
              .path("letters")
              .get(0);
      assertThat(letter.path("payload").asText()).isEqualTo("hello");
    }
    assertThat(broker.deadLetters("emails").count()).isEqualTo(1);
  }

  @Test
  void bindsToLoopbackAnswersOnlyLoopbackHostNamesAndNeverShowsTheToken() throws Exception {
    assertThat(admin.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(admin.toString()).doesNotContain(TOKEN);
    assertThat(rawStatus("evil.example", "/api/queues")).isEqualTo(421);
    assertThat(rawStatus("127.attacker.example", "/api/queues"))
        .as("a name that only starts like a loopback address")
        .isEqualTo(421);
    assertThat(rawStatus("localhost.attacker.example:80", "/api/queues")).isEqualTo(421);
    assertThat(rawStatus("[::1]:" + admin.address().getPort(), "/api/queues")).isEqualTo(200);
    assertThat(rawStatus("127.0.0.1", "/api/queues")).isEqualTo(200);
    assertThat(rawStatus("localhost:" + admin.address().getPort(), "/api/queues")).isEqualTo(200);
    HttpResponse<String> page = Http.get(admin, "/");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'self'");
    assertThat(page.body())
        .doesNotContain(TOKEN)
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(Http.get(admin, "/assets/uPlot.min.js").statusCode()).isEqualTo(200);
    assertThat(Http.get(admin, "/../pom.xml").statusCode()).isEqualTo(404);
  }

  @Test
  void badRequestsGetATypedJsonErrorAndChangeNothing() throws Exception {
    deadLetter("emails", "x", "boom");
    HttpResponse<String> big =
        Http.post(
            admin,
            "/api/queues/emails/dead-letters/redrive",
            "Bearer " + TOKEN,
            "{\"max\":" + "1".repeat(2000) + "}");
    assertThat(big.statusCode()).isEqualTo(413);
    HttpResponse<String> notJson =
        Http.post(admin, "/api/queues/emails/dead-letters/redrive", "Bearer " + TOKEN, "{max");
    assertThat(notJson.statusCode()).isEqualTo(400);
    HttpResponse<String> negative =
        Http.post(
            admin, "/api/queues/emails/dead-letters/redrive", "Bearer " + TOKEN, "{\"max\":-1}");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(negative.body()).path("error").asText()).contains("max");
    // refused by the JDK's own URI parser before any route: still a 400, not a 500
    assertThat(rawStatus("127.0.0.1", "/api/queues/%ZZ")).isEqualTo(400);
    HttpResponse<String> fraction =
        Http.post(
            admin, "/api/queues/emails/dead-letters/redrive", "Bearer " + TOKEN, "{\"max\":1.5}");
    assertThat(fraction.statusCode()).isEqualTo(400);
    assertThat(Http.get(admin, "/api/history?since=yesterday").statusCode()).isEqualTo(400);
    assertThat(broker.deadLetters("emails").count()).as("nothing moved").isEqualTo(1);
  }

  @Test
  void aPortInUseIsAConfigurationErrorAndLeavesNoThreadBehind() {
    int port = admin.address().getPort();
    long before = adminThreads();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AdminServer.builder(broker).port(port).start())
        .isInstanceOf(io.jqueue.ConfigurationException.class)
        .hasMessageContaining(Integer.toString(port));
    assertThat(adminThreads()).as("no thread started for it").isLessThanOrEqualTo(before);
  }

  private static long adminThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("jqueue-admin"))
        .count();
  }

  private int rawStatus(String host, String path) throws IOException {
    try (Socket s = new Socket(admin.address().getAddress(), admin.address().getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  /** Dead-letters one message on {@code queue}: its handler fails it past its retries. */
  private void deadLetter(String queue, String payload, String error) {
    long before = broker.deadLetters(queue).count();
    broker.publisher().publish(Message.builder().topic(queue).text(payload).build());
    try (Subscription sub =
        broker.subscribe(
            queue,
            d -> {
              throw new IllegalStateException(error);
            })) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> broker.deadLetters(queue).count() == before + 1);
    }
  }

  private static double value(
      Map<String, PrometheusText.Family> families, String name, String label, String value) {
    return value(families, name, Map.of(label, value));
  }

  private static double value(
      Map<String, PrometheusText.Family> families, String name, Map<String, String> labels) {
    PrometheusText.Family f = families.get(name);
    assertThat(f).as(name).isNotNull();
    return f.value(name, labels).orElseThrow(() -> new AssertionError(name + labels));
  }
}
