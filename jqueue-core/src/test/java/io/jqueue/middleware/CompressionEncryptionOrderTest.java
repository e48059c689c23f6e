package io.jqueue.middleware;

import static io.jqueue.middleware.ByteFixtures.compressible;
import static io.jqueue.middleware.ByteFixtures.consumeThrough;
import static io.jqueue.middleware.ByteFixtures.key;
import static io.jqueue.middleware.ByteFixtures.publishThrough;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.CodecException;
import io.jqueue.Delivery;
import io.jqueue.Message;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The documented order: publish compression then encryption; consume decryption first. */
class CompressionEncryptionOrderTest {
  private final KeyRing ring = KeyRing.builder().current("k1", key()).build();
  private final byte[] payload = compressible(64 * 1024);
  private final Message original =
      Message.builder()
          .topic("events")
          .action("user.signed-in")
          .header("tenant", "acme")
          .payload(payload, "application/x-ndjson")
          .build();

  @Test
  @DisplayName(
      "compression then encryption sends a small encrypted body; decryption then decompression"
          + " gives back the original")
  void documentedOrder() throws Exception {
    Message sent = publishThrough(original, Compression.gzip(1024), Encryption.aesGcm(ring));

    assertThat(sent.payloadSize()).isLessThan(payload.length / 20);
    assertThat(sent.headers())
        .containsEntry(Compression.CONTENT_ENCODING, "gzip")
        .containsEntry(Encryption.KEY_ID_HEADER, "k1");
    assertThat(sent.payload()[0] == (byte) 0x1f && sent.payload()[1] == (byte) 0x8b)
        .as("the stored body is ciphertext, not gzip")
        .isFalse();

    Delivery got = consumeThrough(sent, Decryption.aesGcm(ring), Decompression.gzip());

    assertThat(got.message().payload()).isEqualTo(payload);
    assertThat(got.message().headers()).isEqualTo(original.headers());
    assertThat(got.message().contentType()).isEqualTo(original.contentType());
  }

  @Test
  @DisplayName(
      "encrypting first leaves nothing to compress: the body stays as large as the payload")
  void reversedPublishOrderGainsNothing() {
    Message sent = publishThrough(original, Encryption.aesGcm(ring), Compression.gzip(1024));

    assertThat(sent.payloadSize()).isGreaterThan(payload.length);
    assertThat(sent.headers()).doesNotContainKey(Compression.CONTENT_ENCODING);
  }

  @Test
  @DisplayName("decompressing before decrypting fails with a CodecException: the order matters")
  void reversedConsumeOrderFails() {
    Message sent = publishThrough(original, Compression.gzip(1024), Encryption.aesGcm(ring));

    assertThatThrownBy(() -> consumeThrough(sent, Decompression.gzip(), Decryption.aesGcm(ring)))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("not valid gzip");
  }
}
