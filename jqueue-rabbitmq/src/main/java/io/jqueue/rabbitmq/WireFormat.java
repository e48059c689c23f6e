package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.ValidationException;
import io.jqueue.internal.UuidV7;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a jqueue {@link Message} travels as an AMQP 0-9-1 message (documented in docs/rabbitmq.md):
 * id → {@code message-id}, action → {@code type}, content type → {@code content-type}, priority →
 * {@code priority}, TTL → {@code expiration}, timestamp → {@code timestamp} (seconds) plus header
 * {@code jqueue-timestamp} (milliseconds), key → header {@code jqueue-key}, failed attempts so far
 * → header {@code jqueue-attempts}, every user header → an AMQP string header, payload → body;
 * persistent delivery mode.
 */
final class WireFormat {
  static final String TIMESTAMP = "jqueue-timestamp";
  static final String KEY = "jqueue-key";
  static final String ATTEMPTS = JQueueHeaders.ATTEMPTS;

  /** Absolute expiry in epoch milliseconds, so a message's own TTL survives its retries. */
  static final String EXPIRES_AT = "jqueue-expires-at";

  /** Set per publish by {@link PublishChannel} to match RabbitMQ's returns to publishes. */
  static final String PUBLISH_ID = "jqueue-publish-id";

  /** Headers only jqueue sets: a user's value is replaced or removed. */
  private static final java.util.Set<String> RESERVED =
      java.util.Set.of(TIMESTAMP, KEY, ATTEMPTS, EXPIRES_AT, PUBLISH_ID);

  private static final int PERSISTENT = 2;

  private WireFormat() {}

  /** The AMQP properties of {@code m}, which has failed {@code attempts} times so far. */
  static AMQP.BasicProperties properties(
      Message m, int attempts, String appId, Map<String, String> defaultHeaders, Instant now) {
    Map<String, Object> headers = new LinkedHashMap<>();
    defaultHeaders.forEach(
        (k, v) -> {
          if (!m.headers().containsKey(k)) {
            headers.put(k, v);
          }
        });
    headers.putAll(m.headers());
    headers.keySet().removeAll(RESERVED);
    headers.put(TIMESTAMP, m.timestamp().toEpochMilli());
    m.key().ifPresent(k -> headers.put(KEY, k));
    if (attempts > 0) {
      headers.put(ATTEMPTS, attempts);
    }
    Optional<Long> ttl = ttlMillis(m, now);
    ttl.ifPresent(ms -> headers.put(EXPIRES_AT, now.toEpochMilli() + ms));
    AMQP.BasicProperties.Builder b =
        new AMQP.BasicProperties.Builder()
            .messageId(m.id())
            .contentType(m.contentType())
            .deliveryMode(PERSISTENT)
            .priority(m.priority())
            .timestamp(new Date(m.timestamp().toEpochMilli()))
            .type(m.action())
            .appId(appId)
            .headers(headers);
    ttl.ifPresent(ms -> b.expiration(Long.toString(ms)));
    return b.build();
  }

  /** Milliseconds {@code m} may still wait, from its TTL and absolute expiry, if it has either. */
  static Optional<Long> ttlMillis(Message m, Instant now) {
    Long ms = null;
    if (m.ttl().isPresent()) {
      ms = saturatedMillis(m.ttl().get());
    }
    if (m.expiresAt().isPresent()) {
      long left = Math.max(0, saturatedMillis(Duration.between(now, m.expiresAt().get())));
      ms = ms == null ? left : Math.min(ms, left);
    }
    // RabbitMQ's expiration is a 32-bit unsigned number of milliseconds
    return Optional.ofNullable(ms).map(v -> Math.min(v, 0xFFFF_FFFFL));
  }

  private static long saturatedMillis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The absolute expiry carried by {@code props}, if any. */
  static Optional<Instant> expiresAt(AMQP.BasicProperties p) {
    Object v = p.getHeaders() == null ? null : p.getHeaders().get(EXPIRES_AT);
    return v instanceof Number
        ? Optional.of(Instant.ofEpochMilli(((Number) v).longValue()))
        : Optional.empty();
  }

  /** Failed attempts recorded on a delivered message (0 when absent or unreadable). */
  static int attempts(AMQP.BasicProperties p) {
    Object v = p.getHeaders() == null ? null : p.getHeaders().get(ATTEMPTS);
    if (v instanceof Number) {
      return Math.max(0, ((Number) v).intValue());
    }
    if (v != null) {
      try {
        return Math.max(0, Integer.parseInt(v.toString()));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  /**
   * The jqueue message of a delivered AMQP message, for queue {@code topic}. Messages from other
   * AMQP clients are accepted as they come: a missing id gets a new one, headers that are not
   * scalars or whose names jqueue would refuse are left out, RabbitMQ's own {@code x-} headers are
   * dropped.
   */
  static Message toMessage(String topic, AMQP.BasicProperties p, byte[] body) {
    Map<String, Object> raw = p.getHeaders() == null ? Map.of() : p.getHeaders();
    Message.Builder b = Message.builder().topic(topic);
    String id = p.getMessageId();
    b.id(id != null && !id.isBlank() ? id : UuidV7.next().toString());
    if (p.getType() != null && !p.getType().isEmpty() && p.getType().length() <= 255) {
      b.action(p.getType());
    }
    String contentType = p.getContentType();
    b.payload(
        body, contentType != null && !contentType.isBlank() ? contentType : Message.OCTET_STREAM);
    b.timestamp(timestampOf(raw.get(TIMESTAMP), p.getTimestamp()));
    if (p.getPriority() != null) {
      b.priority(Math.max(0, Math.min(Message.MAX_PRIORITY, p.getPriority())));
    }
    Object expiresAt = raw.get(EXPIRES_AT);
    if (expiresAt instanceof Number) {
      b.expiresAt(Instant.ofEpochMilli(((Number) expiresAt).longValue()));
    }
    Object key = raw.get(KEY);
    if (key != null && !key.toString().isEmpty()) {
      b.key(key.toString());
    }
    raw.forEach(
        (name, value) -> {
          if (RESERVED.contains(name)) {
            return;
          }
          if (name.startsWith("x-")) {
            return; // RabbitMQ's bookkeeping (x-death, x-first-death-*, ...)
          }
          String text = scalar(value);
          if (text != null) {
            try {
              b.header(name, text);
            } catch (ValidationException e) {
              // a header name jqueue cannot carry (control characters): leave it out
            }
          }
        });
    return b.build();
  }

  private static Instant timestampOf(Object millisHeader, Date amqpTimestamp) {
    if (millisHeader instanceof Number) {
      return Instant.ofEpochMilli(((Number) millisHeader).longValue());
    }
    if (millisHeader != null) {
      try {
        return Instant.ofEpochMilli(Long.parseLong(millisHeader.toString()));
      } catch (NumberFormatException e) {
        // fall through to the AMQP timestamp
      }
    }
    return amqpTimestamp != null ? amqpTimestamp.toInstant() : Instant.now();
  }

  private static String scalar(Object value) {
    if (value instanceof LongString
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Character) {
      return value.toString();
    }
    if (value instanceof Date) {
      return ((Date) value).toInstant().toString();
    }
    return null; // tables, arrays, byte arrays
  }
}
