package io.jqueue.middleware;

import static io.jqueue.middleware.Middlewares.compression;
import static io.jqueue.middleware.Middlewares.correlationId;
import static io.jqueue.middleware.Middlewares.decompression;
import static io.jqueue.middleware.Middlewares.decryption;
import static io.jqueue.middleware.Middlewares.encryption;
import static io.jqueue.middleware.Middlewares.logging;
import static io.jqueue.middleware.Middlewares.metrics;
import static io.jqueue.middleware.Middlewares.schemaVersion;
import static io.jqueue.middleware.Middlewares.validation;
import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublisherOptions;
import io.jqueue.internal.ConsumePipeline;
import io.jqueue.publishers.RecordingPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MiddlewaresTest {
  private final KeyRing keys =
      KeyRing.builder()
          .current("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8))
          .build();

  @Test
  @DisplayName("the seed's stack, by its short names, publishes and decodes back to the original")
  void seedStack() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RecordingPublisher publisher =
        RecordingPublisher.create(
            PublisherOptions.builder()
                .middlewares(
                    validation(),
                    correlationId(),
                    schemaVersion("2"),
                    compression(64),
                    encryption(keys),
                    metrics(registry),
                    logging())
                .build());
    String text = "{\"user\":\"ada\",\"note\":\"" + "x".repeat(500) + "\"}";

    publisher.publish(Message.builder().topic("users").action("user.created").text(text).build());

    Message sent = publisher.last();
    assertThat(sent.header(JQueueHeaders.SCHEMA_VERSION)).contains("2");
    assertThat(sent.correlationId()).contains(sent.id());
    assertThat(sent.header(Encryption.KEY_ID_HEADER)).contains("k1");
    assertThat(sent.payloadSize()).isLessThan(text.length());
    assertThat(registry.find(PublishMetrics.PUBLISHED).tag("status", "success").counter().count())
        .isEqualTo(1);
    AtomicReference<String> handled = new AtomicReference<>();
    new ConsumePipeline(List.of(decryption(keys), decompression()), d -> handled.set(d.text()))
        .run(new DeliveryStub(sent));
    assertThat(handled.get()).isEqualTo(text);
  }

  @Test
  @DisplayName("the facade's middlewares carry distinct names for errors and logs")
  void distinctNames() {
    List<PublishMiddleware> all =
        List.of(
            validation(),
            correlationId(),
            schemaVersion("1"),
            compression(1),
            encryption(keys),
            metrics(new SimpleMeterRegistry()),
            Middlewares.observation(ObservationRegistry.NOOP),
            logging(),
            Middlewares.retry(),
            Middlewares.circuitBreaker());
    assertThat(all.stream().map(PublishMiddleware::name)).doesNotHaveDuplicates();
  }
}
