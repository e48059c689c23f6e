package io.jqueue.middleware;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jqueue.ConsumeChain;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublishReceipt;
import io.jqueue.codec.Codec;
import io.jqueue.spi.AbstractDelivery;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Fake chains and deliveries for the unit tests of the byte-level middlewares. */
final class ByteFixtures {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ByteFixtures() {}

  /** A publish chain that records what reached it and accepts it. */
  static final class SentChain implements PublishChain {
    final List<Message> sent = new ArrayList<>();

    @Override
    public PublishReceipt proceed(Message message) {
      sent.add(message);
      return new PublishReceipt(message.id(), message.topic(), Instant.now());
    }

    @Override
    public Instant deadline() {
      return Instant.now().plusSeconds(60);
    }

    @Override
    public String publisherId() {
      return "test";
    }

    /** The only message sent. */
    Message only() {
      if (sent.size() != 1) {
        throw new AssertionError("expected one message sent, got " + sent.size());
      }
      return sent.get(0);
    }
  }

  /** {@code message} after {@code middlewares} (first outermost), as the broker would get it. */
  static Message publishThrough(Message message, PublishMiddleware... middlewares) {
    SentChain end = new SentChain();
    PublishChain chain = end;
    for (int i = middlewares.length - 1; i >= 0; i--) {
      PublishMiddleware m = middlewares[i];
      PublishChain next = chain;
      chain =
          new PublishChain() {
            @Override
            public PublishReceipt proceed(Message msg) {
              return m.publish(msg, next);
            }

            @Override
            public Instant deadline() {
              return next.deadline();
            }

            @Override
            public String publisherId() {
              return next.publisherId();
            }
          };
    }
    chain.proceed(message);
    return end.only();
  }

  /** A consume chain that records the deliveries that reached the handler. */
  static final class HandlerChain implements ConsumeChain {
    final List<Delivery> handled = new ArrayList<>();

    @Override
    public void proceed(Delivery delivery) {
      handled.add(delivery);
    }

    /** The only delivery handled. */
    Delivery only() {
      if (handled.size() != 1) {
        throw new AssertionError("expected one delivery handled, got " + handled.size());
      }
      return handled.get(0);
    }
  }

  /** What the handler gets for {@code message} after {@code middlewares} (first outermost). */
  static Delivery consumeThrough(Message message, ConsumeMiddleware... middlewares)
      throws Exception {
    HandlerChain end = new HandlerChain();
    ConsumeChain chain = end;
    for (int i = middlewares.length - 1; i >= 0; i--) {
      ConsumeMiddleware m = middlewares[i];
      ConsumeChain next = chain;
      chain = d -> m.handle(d, next);
    }
    chain.proceed(new StubDelivery(message));
    return end.only();
  }

  /** A delivery of one message whose outcomes are not used by these tests. */
  static final class StubDelivery implements Delivery {
    private final Message message;

    StubDelivery(Message message) {
      this.message = message;
    }

    @Override
    public Message message() {
      return message;
    }

    @Override
    public String queue() {
      return message.topic();
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public int maxAttempts() {
      return 3;
    }

    @Override
    public Instant deadline() {
      return Instant.now().plusSeconds(30);
    }

    @Override
    public String consumerId() {
      return "consumer-test";
    }

    @Override
    public <T> T data(Class<T> type) {
      return AbstractDelivery.decode(Codec.json(), message, type);
    }

    @Override
    public <T> T data(TypeReference<T> type) {
      return AbstractDelivery.decode(Codec.json(), message, type.getType());
    }

    @Override
    public void ack() {
      throw new AssertionError("a byte middleware must not settle the delivery itself");
    }

    @Override
    public void fail(Throwable error) {
      throw new AssertionError("a byte middleware must not settle the delivery itself");
    }

    @Override
    public void retry() {
      throw new AssertionError("a byte middleware must not settle the delivery itself");
    }

    @Override
    public void retry(Duration delay) {
      throw new AssertionError("a byte middleware must not settle the delivery itself");
    }

    @Override
    public void deadLetter(String reason) {
      throw new AssertionError("a byte middleware must not settle the delivery itself");
    }

    @Override
    public void extendLease(Duration duration) {}

    @Override
    public boolean isSettled() {
      return false;
    }

    @Override
    public java.util.Optional<Outcome> outcome() {
      return java.util.Optional.empty();
    }

    @Override
    public Delivery withMessage(Message replacement) {
      return new StubDelivery(replacement);
    }
  }

  /** {@code n} bytes of text that compresses well. */
  static byte[] compressible(int n) {
    byte[] out = new byte[n];
    byte[] line = "{\"user\":\"alice\",\"event\":\"signed-in\"}\n".getBytes();
    for (int i = 0; i < n; i++) {
      out[i] = line[i % line.length];
    }
    return out;
  }

  /** {@code n} random bytes, which gzip cannot shrink. */
  static byte[] random(int n) {
    byte[] out = new byte[n];
    RANDOM.nextBytes(out);
    return out;
  }

  /** A fresh random 32-byte key. */
  static byte[] key() {
    return random(32);
  }

  /** The gunzipped {@code bytes}, read with the JDK alone. */
  static byte[] gunzip(byte[] bytes) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
