package io.jqueue.middleware;

import static io.jqueue.middleware.ByteFixtures.compressible;
import static io.jqueue.middleware.ByteFixtures.consumeThrough;
import static io.jqueue.middleware.ByteFixtures.publishThrough;
import static io.jqueue.middleware.ByteFixtures.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jqueue.CodecException;
import io.jqueue.ConfigurationException;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.middleware.ByteFixtures.HandlerChain;
import io.jqueue.middleware.ByteFixtures.StubDelivery;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DecompressionTest {

  private static Message gzipped(byte[] plain) {
    return publishThrough(
        Message.builder()
            .topic("orders")
            .header("tenant", "acme")
            .payload(plain, "application/json")
            .build(),
        Compression.gzip(0));
  }

  private static Message withBody(Message m, byte[] body) {
    return m.toBuilder().payload(body, m.contentType()).build();
  }

  /** Runs {@code m} through {@code middleware} and expects a CodecException, no handler call. */
  private static CodecException refused(Decompression middleware, Message m) {
    HandlerChain handler = new HandlerChain();
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> middleware.handle(new StubDelivery(m), handler));
    assertThat(handler.handled).isEmpty();
    assertThat(thrown).isInstanceOf(CodecException.class);
    return (CodecException) thrown;
  }

  @Test
  @DisplayName(
      "a gzipped message reaches the handler decompressed, without content-encoding, other"
          + " headers and content type kept")
  void decompresses() throws Exception {
    byte[] plain = compressible(50_000);
    Message m = gzipped(plain);

    Delivery got = consumeThrough(m, Decompression.gzip());

    assertThat(got.message().payload()).isEqualTo(plain);
    assertThat(got.message().headers()).containsOnlyKeys("tenant");
    assertThat(got.message().contentType()).isEqualTo("application/json");
    assertThat(got.message().id()).isEqualTo(m.id());
  }

  @Test
  @DisplayName("a message without content-encoding passes untouched, the very same delivery")
  void plainPassesUntouched() throws Exception {
    Message m = Message.builder().topic("orders").text("hello").build();
    StubDelivery delivery = new StubDelivery(m);
    HandlerChain handler = new HandlerChain();

    Decompression.gzip().handle(delivery, handler);

    assertThat(handler.only()).isSameAs(delivery);
  }

  @Test
  @DisplayName("an encoding other than gzip is a CodecException naming it")
  void unknownEncoding() {
    Message m =
        Message.builder()
            .topic("orders")
            .payload(compressible(100))
            .header(Compression.CONTENT_ENCODING, "br")
            .build();

    assertThat(refused(Decompression.gzip(), m)).hasMessageContaining("'br'");
  }

  @Test
  @DisplayName(
      "a corrupt, truncated, bit-flipped or empty gzip body is a CodecException, never another"
          + " error")
  void corruptBodies() {
    Message good = gzipped(compressible(20_000));
    byte[] body = good.payload();
    byte[] flipped = body.clone();
    flipped[body.length / 2] ^= 0x01;
    byte[] flippedCrc = body.clone();
    flippedCrc[body.length - 6] ^= 0x01;

    for (byte[] bad :
        new byte[][] {
          random(300),
          "H4sIAAAAAAAA/w==".getBytes(), // Base64 text, as the seed sent, is not gzip
          Arrays.copyOf(body, body.length - 10),
          Arrays.copyOf(body, 12),
          flipped,
          flippedCrc,
          new byte[0]
        }) {
      assertThat(refused(Decompression.gzip(), withBody(good, bad)))
          .hasMessageContaining(good.id())
          .hasMessageContaining("not valid gzip");
    }
  }

  @Test
  @DisplayName("a payload may decompress to exactly the limit; one byte more is refused")
  void limitIsInclusive() throws Exception {
    Message exactly = gzipped(compressible(4096));
    Message over = gzipped(compressible(4097));

    assertThat(consumeThrough(exactly, Decompression.gzip(4096)).message().payloadSize())
        .isEqualTo(4096);
    assertThat(refused(Decompression.gzip(4096), over))
        .hasMessageContaining("more than 4096 bytes")
        .hasMessageContaining("Decompression.gzip(maxBytes)");
  }

  @Test
  @DisplayName(
      "a decompression bomb (4 GiB of zeros in 4 MiB of gzip) is refused at the default 16 MiB"
          + " limit, quickly and without holding the 4 GiB")
  void bombIsRefused() throws IOException {
    Message bomb =
        Message.builder()
            .topic("orders")
            .payload(bomb(4096)) // 4096 members of 1 MiB each
            .header(Compression.CONTENT_ENCODING, Compression.GZIP)
            .build();
    assertThat(bomb.payloadSize()).isLessThan(8 * 1024 * 1024);

    CodecException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> refused(Decompression.gzip(), bomb));

    assertThat(e).hasMessageContaining("more than " + Decompression.DEFAULT_MAX_BYTES + " bytes");
  }

  /** {@code members} concatenated gzip members of 1 MiB of zeros each (gzip allows several). */
  private static byte[] bomb(int members) throws IOException {
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(one)) {
      gz.write(new byte[1024 * 1024]);
    }
    byte[] member = one.toByteArray();
    ByteArrayOutputStream all = new ByteArrayOutputStream(member.length * members);
    for (int i = 0; i < members; i++) {
      all.write(member);
    }
    return all.toByteArray();
  }

  @Test
  @DisplayName("the limit must be positive; the name is decompression")
  void configuration() {
    assertThatThrownBy(() -> Decompression.gzip(0)).isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> Decompression.gzip(Integer.MAX_VALUE))
        .isInstanceOf(ConfigurationException.class);
    assertThat(Decompression.gzip().maxBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(Decompression.gzip().name()).isEqualTo("decompression");
  }
}
