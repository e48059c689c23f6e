package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.jqueue.Message;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueSpec;
import io.jqueue.middleware.Compression;
import io.jqueue.middleware.Encryption;
import io.jqueue.middleware.KeyRing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The bytes compression and encryption put on the wire, read with a plain amqp-client and the JDK
 * alone: what any other AMQP consumer would have to undo, following the documented format.
 */
class RabbitMqByteMiddlewareTest {
  private final byte[] key = new byte[32];
  private RabbitMqBroker broker;
  private Connection plain;
  private String q;

  @BeforeEach
  void open() throws Exception {
    new SecureRandom().nextBytes(key);
    broker = RabbitMqBroker.connect(RabbitMqTestSupport.config().build());
    plain = RabbitMqPublishingTest.plainConnection();
    q = "bytes-" + UUID.randomUUID().toString().substring(0, 8);
    broker.declareQueue(QueueSpec.builder(q).build());
  }

  @AfterEach
  void close() throws Exception {
    broker.deleteQueue(q);
    broker.close();
    plain.close();
  }

  private static byte[] ndjson(int size) {
    byte[] line = "{\"user\":\"alice\",\"event\":\"signed-in\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = line[i % line.length];
    }
    return out;
  }

  private GetResponse get() throws IOException {
    try (Channel ch = plain.createChannel()) {
      GetResponse r = ch.basicGet(q, true);
      assertThat(r).as("a message in " + q).isNotNull();
      return r;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException(e);
    }
  }

  private static String header(AMQP.BasicProperties p, String name) {
    Map<String, Object> h = p.getHeaders();
    Object v = h == null ? null : h.get(name);
    return v == null ? null : v.toString();
  }

  @Test
  @DisplayName(
      "a compressed, encrypted message is an AMQP body of nonce || ciphertext+tag that the JDK"
          + " decrypts with the documented associated data and then gunzips")
  void encryptedOnTheWire() throws Exception {
    KeyRing ring = KeyRing.builder().current("k1", key).build();
    Publisher sealing =
        broker.publisher(
            PublisherOptions.builder()
                .middlewares(Compression.gzip(1024), Encryption.aesGcm(ring))
                .build());
    byte[] payload = ndjson(32 * 1024);
    Message m =
        Message.builder()
            .topic(q)
            .action("user.signed-in")
            .payload(payload, "application/x-ndjson")
            .build();

    sealing.publish(m);

    GetResponse r = get();
    AMQP.BasicProperties p = r.getProps();
    assertThat(p.getContentType()).isEqualTo("application/x-ndjson");
    assertThat(header(p, "jqueue-encryption")).isEqualTo("AES-256-GCM");
    assertThat(header(p, "jqueue-key-id")).isEqualTo("k1");
    assertThat(header(p, "content-encoding")).isEqualTo("gzip");
    byte[] body = r.getBody();
    assertThat(body.length).isLessThan(payload.length / 20);
    assertThat(new String(body, StandardCharsets.ISO_8859_1)).doesNotContain("alice");

    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(128, Arrays.copyOf(body, 12)));
    cipher.updateAAD(
        aad(
            "jqueue-aad-v1",
            "AES-256-GCM",
            "k1",
            p.getMessageId(),
            q,
            p.getType(),
            p.getContentType(),
            "gzip"));
    byte[] gzipped = cipher.doFinal(body, 12, body.length - 12);
    assertThat(gunzip(gzipped)).isEqualTo(payload);
  }

  @Test
  @DisplayName(
      "compression puts raw gzip bytes in the AMQP body over the threshold and leaves a payload"
          + " at the threshold byte for byte")
  void gzipOnTheWire() throws Exception {
    Publisher compressing =
        broker.publisher(PublisherOptions.builder().middlewares(Compression.gzip(1024)).build());
    byte[] small = ndjson(1024);
    byte[] big = ndjson(32 * 1024);

    compressing.publish(Message.builder().topic(q).payload(small, "text/plain").build());
    compressing.publish(Message.builder().topic(q).payload(big, "text/plain").build());

    GetResponse first = get();
    assertThat(first.getBody()).isEqualTo(small);
    assertThat(header(first.getProps(), "content-encoding")).isNull();
    GetResponse second = get();
    byte[] body = second.getBody();
    assertThat(header(second.getProps(), "content-encoding")).isEqualTo("gzip");
    assertThat(second.getProps().getContentType()).isEqualTo("text/plain");
    assertThat(body[0]).isEqualTo((byte) 0x1f);
    assertThat(body[1]).isEqualTo((byte) 0x8b);
    assertThat(gunzip(body)).isEqualTo(big);
  }

  /** The associated data as documented on {@link Encryption}. */
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

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }
}
