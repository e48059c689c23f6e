package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import io.jqueue.ValidationException;
import io.jqueue.internal.Names;
import io.jqueue.internal.Saturating;
import io.jqueue.internal.UuidV7;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(WireFormat.class);

  private WireFormat() {}

  /** The AMQP properties of {@code m}, which has failed {@code attempts} times so far. */
  static AMQP.BasicProperties properties(Message m, int attempts, String appId, Instant now) {
    Map<String, Object> headers = new LinkedHashMap<>(m.headers());
    headers.keySet().removeAll(RESERVED);
    // carried in the AMQP properties of the same names, where AMQP clients look for them
    headers.remove(JQueueHeaders.CORRELATION_ID);
    headers.remove(JQueueHeaders.REPLY_TO);
    headers.put(TIMESTAMP, m.timestamp().toEpochMilli());
    m.key().ifPresent(k -> headers.put(KEY, k));
    if (attempts > 0) {
      headers.put(ATTEMPTS, attempts);
    }
    Optional<Long> ttl = ttlMillis(m, now);
    ttl.ifPresent(ms -> headers.put(EXPIRES_AT, Saturating.add(now.toEpochMilli(), ms)));
    AMQP.BasicProperties.Builder b =
        new AMQP.BasicProperties.Builder()
            .messageId(m.id())
            .contentType(m.contentType())
            .deliveryMode(PERSISTENT)
            .priority(m.priority())
            .timestamp(new Date(m.timestamp().toEpochMilli()))
            .type(m.action())
            .appId(appId)
            .correlationId(m.correlationId().orElse(null))
            .replyTo(m.replyTo().orElse(null))
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
      long left = Saturating.millisUntil(now, m.expiresAt().get());
      ms = ms == null ? left : Math.min(ms, left);
    }
    // RabbitMQ's expiration is a 32-bit unsigned number of milliseconds
    return Optional.ofNullable(ms).map(v -> Math.min(v, 0xFFFF_FFFFL));
  }

  private static long saturatedMillis(Duration d) {
    return Saturating.toMillis(d);
  }

  /**
   * The absolute expiry carried by {@code props}, if any: any integer, or a decimal string, of
   * epoch milliseconds (out-of-range values saturate; anything else is ignored).
   */
  static Optional<Instant> expiresAt(AMQP.BasicProperties p) {
    Long millis = longOf(p.getHeaders() == null ? null : p.getHeaders().get(EXPIRES_AT));
    return millis == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  /**
   * Failed attempts recorded on a delivered message, clamped to 0..{@link QueueSpec#MAX_RETRIES}: 0
   * when absent or unreadable, so a foreign or hostile count can never overflow.
   */
  static int attempts(AMQP.BasicProperties p) {
    Long v = longOf(p.getHeaders() == null ? null : p.getHeaders().get(ATTEMPTS));
    return v == null ? 0 : (int) Math.max(0, Math.min(QueueSpec.MAX_RETRIES, v));
  }

  /**
   * A header value read as a whole number: integers of any width as they are, decimals and numeric
   * text rounded toward zero, out-of-range values saturated; {@code null} for anything else (text
   * that is not a number, NaN, tables, ...).
   */
  static Long longOf(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    double d;
    if (v instanceof Number) {
      d = ((Number) v).doubleValue(); // BigDecimal, Double, Float: huge values become infinite
    } else if (v instanceof LongString || v instanceof String) {
      String text = v.toString().trim();
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        try {
          d = Double.parseDouble(text);
        } catch (NumberFormatException notANumber) {
          return null;
        }
      }
    } else {
      return null;
    }
    return Double.isNaN(d) ? null : (long) d; // the cast saturates at Long.MIN/MAX_VALUE
  }

  /** {@code p} carrying message id {@code id} (unchanged when it has one already). */
  static AMQP.BasicProperties withMessageId(AMQP.BasicProperties p, String id) {
    String current = p.getMessageId();
    return current != null && !current.isBlank() ? p : p.builder().messageId(id).build();
  }

  /** {@code p} with a message id: its own, or a new one for a message that came without. */
  static AMQP.BasicProperties identified(AMQP.BasicProperties p) {
    return withMessageId(p, UuidV7.next().toString());
  }

  /**
   * The jqueue message of a delivered AMQP message, for queue {@code topic}. Messages from other
   * AMQP clients are accepted as they come (docs/rabbitmq.md, "Messages from other clients"): a
   * missing id gets a new one (which the delivery then keeps for its retries and dead letter);
   * headers RabbitMQ writes itself ({@code x-death}, ...) are left out; every other header arrives
   * as text: strings, numbers, booleans as written, timestamps as ISO-8601, byte arrays as Base64,
   * tables and arrays as JSON; control characters in a header name become {@code \\uXXXX}.
   */
  static Message toMessage(String queue, AMQP.BasicProperties p, byte[] body) {
    Map<String, Object> raw = p.getHeaders() == null ? Map.of() : p.getHeaders();
    // a subscription's queue is topic/name: its messages were published to the topic
    int slash = queue.indexOf('/');
    Message.Builder b = Message.builder().topic(slash < 0 ? queue : queue.substring(0, slash));
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
    expiresAt(p).ifPresent(b::expiresAt);
    Object key = raw.get(KEY);
    if (key != null && !key.toString().isEmpty()) {
      b.key(key.toString());
    }
    propertyHeader(b, p, JQueueHeaders.CORRELATION_ID, p.getCorrelationId());
    propertyHeader(b, p, JQueueHeaders.REPLY_TO, p.getReplyTo());
    raw.forEach(
        (name, value) -> {
          if (RESERVED.contains(name) || Names.isBrokerHeader(name)) {
            return; // jqueue's own (read above) or RabbitMQ's bookkeeping (x-death, ...)
          }
          try {
            b.header(escapeControls(name), HeaderText.of(value));
          } catch (ValidationException e) {
            LOG.warn(
                "message {} has a header jqueue cannot carry ({}); it is left out",
                p.getMessageId(),
                e.getMessage());
          }
        });
    return b.build();
  }

  /** An AMQP property (correlation-id, reply-to) as the jqueue header of the same name. */
  private static void propertyHeader(
      Message.Builder b, AMQP.BasicProperties p, String header, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    try {
      b.header(header, escapeControls(value));
    } catch (ValidationException e) {
      LOG.warn("message {} has a {} jqueue cannot carry; left out", p.getMessageId(), header);
    }
  }

  private static Instant timestampOf(Object millisHeader, Date amqpTimestamp) {
    Long millis = longOf(millisHeader);
    if (millis != null) {
      return Instant.ofEpochMilli(millis);
    }
    // none at all: now, in real time, as Message gives any message built without a timestamp
    return amqpTimestamp != null ? amqpTimestamp.toInstant() : Instant.now();
  }

  /** {@code name} with every control character written as {@code \\uXXXX}. */
  static String escapeControls(String name) {
    StringBuilder out = null;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c)) {
        if (out == null) {
          out = new StringBuilder(name.substring(0, i));
        }
        out.append(String.format("\\u%04X", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? name : out.toString();
  }
}
