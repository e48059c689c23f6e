package io.jqueue.middleware;

import static io.jqueue.middleware.ByteFixtures.compressible;
import static io.jqueue.middleware.ByteFixtures.gunzip;
import static io.jqueue.middleware.ByteFixtures.publishThrough;
import static io.jqueue.middleware.ByteFixtures.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.ConfigurationException;
import io.jqueue.Message;
import io.jqueue.MessageLimits;
import io.jqueue.MessageTooLargeException;
import io.jqueue.PublishReceipt;
import io.jqueue.PublisherOptions;
import io.jqueue.internal.PublishPipeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CompressionTest {

  private static Message.Builder message(byte[] payload) {
    return Message.builder()
        .topic("orders")
        .action("order.created")
        .key("customer-7")
        .priority(4)
        .header("tenant", "acme")
        .payload(payload, "application/json");
  }

  @Test
  @DisplayName(
      "a payload over the threshold is sent as raw gzip with content-encoding: gzip, everything"
          + " else unchanged")
  void compressesOverThreshold() {
    byte[] payload = compressible(10_000);
    Message m = message(payload).build();

    Message sent = publishThrough(m, Compression.gzip(1024));

    assertThat(sent.headers())
        .containsEntry(Compression.CONTENT_ENCODING, Compression.GZIP)
        .containsEntry("tenant", "acme")
        .hasSize(2);
    assertThat(sent.payloadSize()).isLessThan(payload.length / 10);
    assertThat(sent.payload()[0]).isEqualTo((byte) 0x1f); // the gzip magic, not Base64 text
    assertThat(sent.payload()[1]).isEqualTo((byte) 0x8b);
    assertThat(gunzip(sent.payload())).isEqualTo(payload);
    assertThat(sent.contentType()).isEqualTo("application/json");
    assertThat(sent.id()).isEqualTo(m.id());
    assertThat(sent.topic()).isEqualTo(m.topic());
    assertThat(sent.action()).isEqualTo(m.action());
    assertThat(sent.key()).isEqualTo(m.key());
    assertThat(sent.priority()).isEqualTo(m.priority());
    assertThat(sent.timestamp()).isEqualTo(m.timestamp());
  }

  @Test
  @DisplayName("a payload at the threshold is sent byte for byte; one byte more is compressed")
  void thresholdIsInclusive() {
    Message atThreshold = message(compressible(1024)).build();
    Message over = message(compressible(1025)).build();

    Message sentAt = publishThrough(atThreshold, Compression.gzip(1024));
    Message sentOver = publishThrough(over, Compression.gzip(1024));

    assertThat(sentAt).isSameAs(atThreshold);
    assertThat(sentAt.headers()).doesNotContainKey(Compression.CONTENT_ENCODING);
    assertThat(sentOver.headers()).containsEntry(Compression.CONTENT_ENCODING, "gzip");
    assertThat(gunzip(sentOver.payload())).isEqualTo(over.payload());
  }

  @Test
  @DisplayName("a message with a content-encoding already is never compressed again")
  void neverCompressesTwice() {
    byte[] gzipped =
        publishThrough(message(compressible(5000)).build(), Compression.gzip(0)).payload();
    Message already =
        message(gzipped).header(Compression.CONTENT_ENCODING, Compression.GZIP).build();
    Message brotli = message(compressible(5000)).header(Compression.CONTENT_ENCODING, "br").build();

    assertThat(publishThrough(already, Compression.gzip(0))).isSameAs(already);
    assertThat(publishThrough(brotli, Compression.gzip(0))).isSameAs(brotli);
  }

  @Test
  @DisplayName("a payload gzip cannot shrink is sent as it is, without content-encoding")
  void incompressibleSentAsIs() {
    Message m = message(random(4096)).build();

    assertThat(publishThrough(m, Compression.gzip(100))).isSameAs(m);
  }

  @Test
  @DisplayName(
      "the size limit applies after compression: a payload over maxPayloadBytes that compresses"
          + " under it is published, an incompressible one is refused")
  void limitCountsCompressedSize() {
    List<Message> sunk = new ArrayList<>();
    PublishPipeline pipeline =
        new PublishPipeline(
            PublisherOptions.builder()
                .limits(MessageLimits.defaults().withMaxPayloadBytes(4096))
                .middlewares(Compression.gzip(1024))
                .build(),
            (message, deadline) -> {
              sunk.add(message);
              return new PublishReceipt(message.id(), message.topic(), Instant.now());
            });
    byte[] big = compressible(200_000);

    pipeline.publish(message(big).build(), Instant.now().plusSeconds(10));

    assertThat(sunk).singleElement().satisfies(m -> assertThat(m.payloadSize()).isLessThan(4096));
    assertThat(gunzip(sunk.get(0).payload())).isEqualTo(big);
    assertThatThrownBy(
            () -> pipeline.publish(message(random(8192)).build(), Instant.now().plusSeconds(10)))
        .isInstanceOf(MessageTooLargeException.class)
        .hasMessageContaining("4096");
    assertThat(sunk).hasSize(1);
  }

  @Test
  @DisplayName("a negative threshold is a ConfigurationException; the name is compression")
  void configuration() {
    assertThatThrownBy(() -> Compression.gzip(-1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("-1");
    assertThat(Compression.gzip(0).thresholdBytes()).isZero();
    assertThat(Compression.gzip(512).name()).isEqualTo("compression");
  }
}
