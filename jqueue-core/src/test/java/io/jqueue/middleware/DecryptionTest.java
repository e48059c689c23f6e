package io.jqueue.middleware;

import static io.jqueue.middleware.ByteFixtures.consumeThrough;
import static io.jqueue.middleware.ByteFixtures.key;
import static io.jqueue.middleware.ByteFixtures.publishThrough;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jqueue.CodecException;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.middleware.ByteFixtures.HandlerChain;
import io.jqueue.middleware.ByteFixtures.StubDelivery;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DecryptionTest {
  private final byte[] k1 = key();
  private final byte[] k2 = key();
  private final KeyRing ring = KeyRing.builder().current("k1", k1).build();
  private final KeyRing both = KeyRing.builder().current("k2", k2).retired("k1", k1).build();

  private static Message plain() {
    return Message.builder()
        .topic("payments")
        .action("payment.captured")
        .header("tenant", "acme")
        .payload("{\"amount\":42}".getBytes(StandardCharsets.UTF_8), "application/json")
        .build();
  }

  private Message sealed(Message m) {
    return publishThrough(m, Encryption.aesGcm(ring));
  }

  /** Runs {@code m} through {@code middleware}, expecting a CodecException and no handler call. */
  private static CodecException refused(Decryption middleware, Message m) {
    HandlerChain handler = new HandlerChain();
    Throwable thrown = catchThrowable(() -> middleware.handle(new StubDelivery(m), handler));
    assertThat(handler.handled).isEmpty();
    assertThat(thrown).isInstanceOf(CodecException.class);
    return (CodecException) thrown;
  }

  @Test
  @DisplayName(
      "an encrypted message reaches the handler as it was published: plaintext, headers and"
          + " content type")
  void roundTrip() throws Exception {
    Message original = plain();

    Delivery got = consumeThrough(sealed(original), Decryption.aesGcm(ring));

    assertThat(got.message().payload()).isEqualTo(original.payload());
    assertThat(got.message().headers()).isEqualTo(original.headers());
    assertThat(got.message().contentType()).isEqualTo("application/json");
    assertThat(got.message().id()).isEqualTo(original.id());
  }

  @Test
  @DisplayName("a message encrypted under a key that was since retired still decrypts")
  void retiredKeyDecrypts() throws Exception {
    Message m = sealed(plain()); // under k1, then k2 became current

    assertThat(consumeThrough(m, Decryption.aesGcm(both)).message().payload())
        .isEqualTo(plain().payload());
    assertThat(consumeThrough(m, Decryption.aesGcm(ring.rotate("k3", key()))).text())
        .isEqualTo("{\"amount\":42}");
  }

  @Test
  @DisplayName("a message without encryption passes untouched, unless requireEncrypted refuses it")
  void plaintext() throws Exception {
    Message m = plain();
    StubDelivery delivery = new StubDelivery(m);
    HandlerChain handler = new HandlerChain();

    Decryption.aesGcm(ring).handle(delivery, handler);

    assertThat(handler.only()).isSameAs(delivery);
    assertThat(Decryption.aesGcm(ring).requiresEncrypted()).isFalse();
    assertThat(refused(Decryption.aesGcm(ring).requireEncrypted(), m))
        .hasMessageContaining("not encrypted")
        .hasMessageContaining("requireEncrypted");
  }

  @Test
  @DisplayName("an unknown key id is a CodecException naming it and the known ids")
  void unknownKey() {
    Message m = sealed(plain());
    KeyRing other = KeyRing.builder().current("k7", key()).build();

    assertThat(refused(Decryption.aesGcm(other), m))
        .hasMessageContaining("'k1'")
        .hasMessageContaining("current=k7")
        .hasMessageContaining("retired key");
  }

  @Test
  @DisplayName(
      "a flipped byte anywhere in nonce, ciphertext or tag is a CodecException, never plaintext")
  void tamperedBody() {
    Message m = sealed(plain());
    byte[] body = m.payload();
    for (int i = 0; i < body.length; i++) {
      byte[] flipped = body.clone();
      flipped[i] ^= 0x01;
      assertThat(refused(Decryption.aesGcm(ring), withBody(m, flipped)))
          .as("byte %d", i)
          .hasMessageContaining("failed authentication");
    }
  }

  @Test
  @DisplayName("a truncated body is a CodecException")
  void truncatedBody() {
    Message m = sealed(plain());
    byte[] body = m.payload();

    assertThat(refused(Decryption.aesGcm(ring), withBody(m, Arrays.copyOf(body, 27))))
        .hasMessageContaining("truncated");
    assertThat(refused(Decryption.aesGcm(ring), withBody(m, new byte[0])))
        .hasMessageContaining("truncated");
    assertThat(refused(Decryption.aesGcm(ring), withBody(m, Arrays.copyOf(body, body.length - 1))))
        .hasMessageContaining("failed authentication");
  }

  @Test
  @DisplayName(
      "a changed key id, algorithm, content type, id, topic, action or content-encoding is a"
          + " CodecException")
  void tamperedBoundFields() {
    Message m = publishThrough(plain(), Encryption.aesGcm(both)); // under k2; k1 known too
    Map<String, UnaryOperator<Message.Builder>> changes = new LinkedHashMap<>();
    changes.put("key id", b -> b.header(Encryption.KEY_ID_HEADER, "k1"));
    changes.put("content type", b -> b.contentType("text/plain"));
    changes.put("id", b -> b.id("another-id"));
    changes.put("topic", b -> b.topic("refunds"));
    changes.put("action", b -> b.action("payment.refunded"));
    changes.put("no action", b -> b.action(null));
    changes.put("content-encoding added", b -> b.header(Compression.CONTENT_ENCODING, "gzip"));

    for (Map.Entry<String, UnaryOperator<Message.Builder>> change : changes.entrySet()) {
      Message changed = change.getValue().apply(m.toBuilder()).build();
      assertThat(refused(Decryption.aesGcm(both), changed))
          .as(change.getKey())
          .hasMessageContaining("failed authentication");
    }
    Message otherAlgorithm =
        m.toBuilder().header(Encryption.ALGORITHM_HEADER, "AES-128-CBC").build();
    assertThat(refused(Decryption.aesGcm(both), otherAlgorithm))
        .hasMessageContaining("AES-128-CBC");
    KeyRing twins = KeyRing.builder().current("a", k1).retired("b", k1).build();
    Message underA = publishThrough(plain(), Encryption.aesGcm(twins));
    assertThat(
            refused(
                Decryption.aesGcm(twins),
                underA.toBuilder().header(Encryption.KEY_ID_HEADER, "b").build()))
        .as("key id changed to another id of the same key: the id itself is bound")
        .hasMessageContaining("failed authentication");
    Message noKeyId = m.toBuilder().removeHeader(Encryption.KEY_ID_HEADER).build();
    assertThat(refused(Decryption.aesGcm(both), noKeyId)).hasMessageContaining("no jqueue-key-id");
  }

  @Test
  @DisplayName("a change to a header that is not bound does not stop decryption")
  void unboundHeaders() throws Exception {
    Message m = sealed(plain()).toBuilder().header("tenant", "other").header("trace", "t").build();

    Delivery got = consumeThrough(m, Decryption.aesGcm(ring));

    assertThat(got.message().payload()).isEqualTo(plain().payload());
    assertThat(got.message().headers()).containsEntry("tenant", "other").containsKey("trace");
  }

  @Test
  @DisplayName("errors never show key bytes; the name is decryption")
  void errorsHideKeys() {
    Message m = sealed(plain());
    byte[] body = m.payload();
    body[20] ^= 0x01;

    CodecException e = refused(Decryption.aesGcm(both), withBody(m, body));

    assertThat(e.getMessage())
        .doesNotContain(KeyRingTest.secretForms(k1))
        .doesNotContain(KeyRingTest.secretForms(k2));
    assertThat(refused(Decryption.aesGcm(KeyRing.builder().current("x", k2).build()), m))
        .satisfies(x -> assertThat(x.getMessage()).doesNotContain(KeyRingTest.secretForms(k2)));
    assertThat(Decryption.aesGcm(ring).name()).isEqualTo("decryption");
  }

  private static Message withBody(Message m, byte[] body) {
    return m.toBuilder().payload(body, m.contentType()).build();
  }
}
