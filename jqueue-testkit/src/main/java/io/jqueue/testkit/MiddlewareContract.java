package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Backoff;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.MessageLimits;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.middleware.Compression;
import io.jqueue.middleware.Decompression;
import io.jqueue.middleware.Decryption;
import io.jqueue.middleware.Encryption;
import io.jqueue.middleware.KeyRing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3 byte-level middlewares end to end: a message published through compression and encryption
 * is stored compressed and encrypted, and arrives as it was published at a handler and by pull
 * through decryption and decompression; what cannot be decoded is dead-lettered.
 */
public abstract class MiddlewareContract extends ContractSupport {
  private static final int THRESHOLD = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyRing ring = KeyRing.builder().current("k1", newKey()).build();

  private static byte[] newKey() {
    byte[] key = new byte[KeyRing.KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  /** A publisher compressing over the threshold, then encrypting with {@code keys}. */
  private Publisher sealing(KeyRing keys) {
    return broker.publisher(
        PublisherOptions.builder()
            .middlewares(Compression.gzip(THRESHOLD), Encryption.aesGcm(keys))
            .build());
  }

  /** Consumer options decrypting with {@code keys}, then decompressing. */
  private static ConsumerOptions opening(KeyRing keys) {
    return ConsumerOptions.builder()
        .middlewares(Decryption.aesGcm(keys), Decompression.gzip())
        .build();
  }

  /** A message of 64 KiB of JSON lines, which gzip shrinks to a few hundred bytes. */
  private static Message big(String q) {
    byte[] line = "{\"user\":\"alice\",\"event\":\"signed-in\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[64 * 1024];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = line[i % line.length];
    }
    return Message.builder()
        .topic(q)
        .action("user.signed-in")
        .header("tenant", "acme")
        .payload(payload, "application/x-ndjson")
        .build();
  }

  private static void assertArrivedAsPublished(Message got, Message published) {
    assertThat(got.payload()).isEqualTo(published.payload());
    assertThat(got.headers()).isEqualTo(published.headers());
    assertThat(got.contentType()).isEqualTo(published.contentType());
    assertThat(got.id()).isEqualTo(published.id());
    assertThat(got.action()).isEqualTo(published.action());
  }

  /** {@code n} messages of {@code q} pulled with {@code options}, waiting up to 15 s for them. */
  private List<Delivery> pull(String q, ConsumerOptions options, int n) {
    List<Delivery> got = new ArrayList<>();
    Instant end = Instant.now().plusSeconds(15);
    while (got.size() < n && Instant.now().isBefore(end)) {
      got.addAll(broker.receive(q, options, n - got.size(), Duration.ofSeconds(1)));
    }
    assertThat(got).hasSize(n);
    return got;
  }

  /** The only message of {@code q}, pulled without middleware: as the broker stores it. */
  private Delivery rawOnly(String q) {
    return pull(q, ConsumerOptions.pull(), 1).get(0);
  }

  /** {@code m} as {@link Encryption} under {@code keys} would send it. */
  private static Message sealed(Message m, KeyRing keys) {
    AtomicReference<Message> out = new AtomicReference<>();
    Encryption.aesGcm(keys)
        .publish(
            m,
            new PublishChain() {
              @Override
              public PublishReceipt proceed(Message message) {
                out.set(message);
                return new PublishReceipt(message.id(), message.topic(), Instant.now());
              }

              @Override
              public Instant deadline() {
                return Instant.now().plusSeconds(10);
              }

              @Override
              public String publisherId() {
                return "contract";
              }
            });
    return out.get();
  }

  private static byte[] gunzip(byte[] bytes) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName(
      "a payload over the threshold is stored gzipped, then encrypted, with the key id, algorithm"
          + " and content-encoding headers and its content type")
  void storedCompressedThenEncrypted() {
    String q = declare(queue("sealed"));
    Message m = big(q);

    sealing(ring).publish(m);

    Delivery raw = rawOnly(q);
    Message stored = raw.message();
    assertThat(stored.headers())
        .containsEntry(Encryption.ALGORITHM_HEADER, Encryption.AES_256_GCM)
        .containsEntry(Encryption.KEY_ID_HEADER, "k1")
        .containsEntry(Compression.CONTENT_ENCODING, Compression.GZIP)
        .containsEntry("tenant", "acme");
    assertThat(stored.contentType()).isEqualTo("application/x-ndjson");
    assertThat(stored.payloadSize()).isLessThan(m.payloadSize() / 20); // compressed
    byte[] body = stored.payload();
    assertThat(body[0] == (byte) 0x1f && body[1] == (byte) 0x8b).as("gzip magic").isFalse();
    assertThat(new String(body, StandardCharsets.ISO_8859_1)).doesNotContain("alice");
    raw.ack();
  }

  @Test
  @DisplayName(
      "a compressed, encrypted message arrives at a handler through decryption and decompression"
          + " exactly as it was published")
  void arrivesAtHandler() {
    String q = declare(queue("sealed"));
    Message m = big(q);
    ConcurrentLinkedQueue<Message> handled = new ConcurrentLinkedQueue<>();
    broker.subscribe(q, opening(ring), d -> handled.add(d.message()));

    sealing(ring).publish(m);

    eventually().until(() -> broker.stats(q).acked() == 1);
    assertThat(handled).singleElement().satisfies(got -> assertArrivedAsPublished(got, m));
    assertThat(broker.deadLetters(q).count()).isZero();
  }

  @Test
  @DisplayName(
      "a compressed, encrypted message pulled with the consume middlewares arrives exactly as it"
          + " was published")
  void arrivesByPull() {
    String q = declare(queue("sealed"));
    Message m = big(q);
    sealing(ring).publish(m);

    List<Delivery> got = pull(q, opening(ring), 1);

    assertArrivedAsPublished(got.get(0).message(), m);
    got.get(0).ack();
    assertThat(broker.stats(q).acked()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "compression leaves a payload at the threshold untouched and stores a larger one as plain"
          + " gzip bytes, never Base64")
  void compressionOnWire() {
    String q = declare(queue("gzip"));
    Publisher compressing =
        broker.publisher(
            PublisherOptions.builder().middlewares(Compression.gzip(THRESHOLD)).build());
    byte[] small = Arrays.copyOf(big(q).payload(), THRESHOLD);
    Message atThreshold = Message.builder().topic(q).payload(small, "text/plain").build();
    Message over = big(q);

    compressing.publish(atThreshold);
    compressing.publish(over);

    List<Delivery> raw = pull(q, ConsumerOptions.pull(), 2);
    Message storedSmall = raw.get(0).message();
    Message storedBig = raw.get(1).message();
    assertThat(storedSmall.payload()).isEqualTo(small);
    assertThat(storedSmall.headers()).doesNotContainKey(Compression.CONTENT_ENCODING);
    assertThat(storedBig.headers()).containsEntry(Compression.CONTENT_ENCODING, Compression.GZIP);
    assertThat(storedBig.payloadSize()).isLessThan(over.payloadSize() / 20);
    assertThat(gunzip(storedBig.payload())).isEqualTo(over.payload());
    raw.forEach(Delivery::ack);
  }

  @Test
  @DisplayName(
      "the size limit counts the compressed payload: one over maxPayloadBytes that compresses"
          + " under it is published and arrives whole")
  void limitAfterCompression() {
    String q = declare(queue("gzip"));
    Message m = big(q); // 64 KiB
    Publisher limited =
        broker.publisher(
            PublisherOptions.builder()
                .limits(MessageLimits.defaults().withMaxPayloadBytes(4096))
                .middlewares(Compression.gzip(THRESHOLD))
                .build());

    limited.publish(m);

    List<Delivery> got =
        pull(q, ConsumerOptions.builder().middlewares(Decompression.gzip()).build(), 1);
    assertArrivedAsPublished(got.get(0).message(), m);
    got.get(0).ack();
  }

  @Test
  @DisplayName(
      "a message encrypted under a key that was retired since (a new current key) still decrypts")
  void retiredKeyDecrypts() {
    String q = declare(queue("sealed"));
    KeyRing rotated = ring.rotate("k2", newKey());
    Message before = big(q);
    Message after = big(q);
    sealing(ring).publish(before);
    sealing(rotated).publish(after);
    ConcurrentLinkedQueue<Message> handled = new ConcurrentLinkedQueue<>();

    broker.subscribe(q, opening(rotated), d -> handled.add(d.message()));

    eventually().until(() -> broker.stats(q).acked() == 2);
    assertThat(handled).hasSize(2);
    for (Message got : handled) {
      assertArrivedAsPublished(got, got.id().equals(before.id()) ? before : after);
    }
    assertThat(broker.deadLetters(q).count()).isZero();
  }

  @Test
  @DisplayName(
      "a flipped ciphertext byte, a changed key id or content type, or a truncated body is"
          + " dead-lettered with DECODE_ERROR after one attempt; the handler never sees it")
  void tamperedDeadLettered() {
    String q = declare(queue("sealed").maxRetries(5));
    KeyRing consumerKeys = ring.rotate("k2", newKey());
    Message flipped = sealed(big(q), ring);
    byte[] body = flipped.payload();
    body[body.length / 2] ^= 0x01;
    Message truncated = sealed(big(q), ring);
    List<Message> tampered =
        List.of(
            flipped.toBuilder().payload(body, flipped.contentType()).build(),
            sealed(big(q), ring).toBuilder().header(Encryption.KEY_ID_HEADER, "k2").build(),
            sealed(big(q), ring).toBuilder().contentType("text/plain").build(),
            truncated.toBuilder()
                .payload(Arrays.copyOf(truncated.payload(), 20), truncated.contentType())
                .build());
    Message genuine = big(q);
    ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
    broker.subscribe(q, opening(consumerKeys), d -> handled.add(d.message().id()));

    tampered.forEach(
        publisher::publish); // sent as they are: the default publisher has no middleware
    sealing(ring).publish(genuine);

    eventually().until(() -> broker.deadLetters(q).count() == 4 && broker.stats(q).acked() == 1);
    assertThat(handled).containsExactly(genuine.id());
    List<DeadLetter> dead = broker.deadLetters(q).peek(10);
    assertThat(dead)
        .extracting(d -> d.message().id())
        .containsExactlyInAnyOrderElementsOf(tampered.stream().map(Message::id).toList());
    assertThat(dead)
        .allSatisfy(
            d -> {
              assertThat(d.reason()).isEqualTo(DeadLetterReason.DECODE_ERROR);
              assertThat(d.attempts()).isEqualTo(1);
            });
  }

  @Test
  @DisplayName("a corrupt gzip body is dead-lettered with DECODE_ERROR after one attempt")
  void corruptGzipDeadLettered() {
    String q = declare(queue("gzip").maxRetries(5));
    Message corrupt =
        Message.builder()
            .topic(q)
            .payload("H4sIAAAAAAAA/w==".getBytes(StandardCharsets.UTF_8), "text/plain")
            .header(Compression.CONTENT_ENCODING, Compression.GZIP)
            .build();
    ConcurrentLinkedQueue<Delivery> handled = new ConcurrentLinkedQueue<>();
    broker.subscribe(
        q, ConsumerOptions.builder().middlewares(Decompression.gzip()).build(), handled::add);

    publisher.publish(corrupt);

    eventually().until(() -> broker.deadLetters(q).count() == 1);
    DeadLetter dead = broker.deadLetters(q).peek(1).get(0);
    assertThat(dead.reason()).isEqualTo(DeadLetterReason.DECODE_ERROR);
    assertThat(dead.attempts()).isEqualTo(1);
    assertThat(dead.message().id()).isEqualTo(corrupt.id());
    assertThat(handled).isEmpty();
  }

  @Test
  @DisplayName("a retried encrypted message is decrypted again on its next attempt")
  void retriedMessageStillDecrypts() {
    String q = declare(queue("sealed").maxRetries(3).backoff(Backoff.fixed(Duration.ZERO)));
    Message m = big(q);
    ConcurrentLinkedQueue<Message> handled = new ConcurrentLinkedQueue<>();
    broker.subscribe(
        q,
        opening(ring),
        d -> {
          handled.add(d.message());
          if (d.attempt() == 1) {
            throw new IllegalStateException("first attempt fails");
          }
        });

    sealing(ring).publish(m);

    eventually().until(() -> broker.stats(q).acked() == 1);
    assertThat(handled).hasSize(2).allSatisfy(got -> assertArrivedAsPublished(got, m));
    assertThat(broker.deadLetters(q).count()).isZero();
  }
}
