package io.jqueue.middleware;

import static io.jqueue.middleware.ByteFixtures.key;
import static io.jqueue.middleware.ByteFixtures.publishThrough;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.Message;
import io.jqueue.ValidationException;
import io.jqueue.middleware.ByteFixtures.SentChain;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EncryptionTest {
  private final byte[] keyBytes = key();
  private final KeyRing ring = KeyRing.builder().current("k1", keyBytes).build();

  private static Message.Builder message() {
    return Message.builder()
        .topic("payments")
        .action("payment.captured")
        .header("tenant", "acme")
        .payload("{\"amount\":42}".getBytes(StandardCharsets.UTF_8), "application/json");
  }

  @Test
  @DisplayName(
      "the payload is sent as nonce, ciphertext and tag with the key id and algorithm headers;"
          + " content type and other fields unchanged")
  void encrypts() {
    Message m = message().build();

    Message sent = publishThrough(m, Encryption.aesGcm(ring));

    assertThat(sent.payloadSize()).isEqualTo(m.payloadSize() + 12 + 16);
    assertThat(new String(sent.payload(), StandardCharsets.ISO_8859_1)).doesNotContain("amount");
    assertThat(sent.headers())
        .containsEntry(Encryption.ALGORITHM_HEADER, "AES-256-GCM")
        .containsEntry(Encryption.KEY_ID_HEADER, "k1")
        .containsEntry("tenant", "acme")
        .hasSize(3);
    assertThat(sent.contentType()).isEqualTo("application/json");
    assertThat(sent.id()).isEqualTo(m.id());
    assertThat(sent.topic()).isEqualTo(m.topic());
    assertThat(sent.action()).isEqualTo(m.action());
    assertThat(sent.timestamp()).isEqualTo(m.timestamp());
  }

  @Test
  @DisplayName(
      "the documented format decrypts with javax.crypto alone: nonce || ciphertext+tag, AAD")
  void documentedFormat() throws Exception {
    Message m = message().header(Compression.CONTENT_ENCODING, "gzip").build();
    Message sent = publishThrough(m, Encryption.aesGcm(ring));
    byte[] body = sent.payload();

    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(keyBytes, "AES"),
        new GCMParameterSpec(128, Arrays.copyOf(body, 12)));
    cipher.updateAAD(
        aad(
            "jqueue-aad-v1",
            "AES-256-GCM",
            "k1",
            m.id(),
            "payments",
            "payment.captured",
            "application/json",
            "gzip"));
    byte[] plain = cipher.doFinal(body, 12, body.length - 12);

    assertThat(plain).isEqualTo(m.payload());
  }

  @Test
  @DisplayName("an absent action or content-encoding is bound as the length -1")
  void absentFieldsInFormat() throws Exception {
    Message m = Message.builder().topic("payments").text("hi").build();
    byte[] body = publishThrough(m, Encryption.aesGcm(ring)).payload();

    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(keyBytes, "AES"),
        new GCMParameterSpec(128, body, 0, 12));
    cipher.updateAAD(
        aad("jqueue-aad-v1", "AES-256-GCM", "k1", m.id(), "payments", null, "text/plain", null));

    assertThat(cipher.doFinal(body, 12, body.length - 12)).isEqualTo(m.payload());
  }

  /** The associated data as documented on {@link Encryption}, built independently. */
  private static byte[] aad(String... fields) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    for (String f : fields) {
      if (f == null) {
        out.writeInt(-1);
      } else {
        byte[] utf8 = f.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
      }
    }
    return bytes.toByteArray();
  }

  @Test
  @DisplayName("every message gets a fresh random nonce, so equal messages encrypt differently")
  void freshNonces() {
    Message m = message().build();
    Encryption encryption = Encryption.aesGcm(ring);
    Set<String> nonces = new HashSet<>();
    Set<String> bodies = new HashSet<>();

    for (int i = 0; i < 200; i++) {
      byte[] body = publishThrough(m, encryption).payload();
      nonces.add(Arrays.toString(Arrays.copyOf(body, 12)));
      bodies.add(Arrays.toString(body));
    }

    assertThat(nonces).hasSize(200);
    assertThat(bodies).hasSize(200);
  }

  @Test
  @DisplayName("after a rotation the new current key encrypts")
  void encryptsWithCurrentKey() {
    KeyRing rotated = ring.rotate("k2", key());

    Message sent = publishThrough(message().build(), Encryption.aesGcm(rotated));

    assertThat(sent.headers()).containsEntry(Encryption.KEY_ID_HEADER, "k2");
  }

  @Test
  @DisplayName(
      "a message that carries an encryption header already is refused, never encrypted twice")
  void refusesEncryptedMessages() {
    Message once = publishThrough(message().build(), Encryption.aesGcm(ring));
    Message forgedKeyId = message().header(Encryption.KEY_ID_HEADER, "k9").build();

    for (Message m : new Message[] {once, forgedKeyId}) {
      SentChain chain = new SentChain();
      assertThatThrownBy(() -> Encryption.aesGcm(ring).publish(m, chain))
          .isInstanceOf(ValidationException.class)
          .hasMessageContaining(m.id())
          .hasMessageContaining("decrypt");
      assertThat(chain.sent).isEmpty();
    }
  }

  @Test
  @DisplayName("the name is encryption")
  void name() {
    assertThat(Encryption.aesGcm(ring).name()).isEqualTo("encryption");
  }
}
