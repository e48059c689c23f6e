package io.jqueue;

import io.jqueue.codec.Codec;
import io.jqueue.internal.Names;
import io.jqueue.internal.UuidV7;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An immutable message: a payload with its destination and metadata, built with {@link #builder()}.
 *
 * <p>The builder checks every field it can on its own (names, header names, priority range, TTL)
 * and throws {@link ValidationException} naming the field. Limits that depend on configuration
 * (payload size, header count) and the presence of a topic are checked when the message is
 * published, before anything is sent.
 *
 * <p>{@link #toString()} never includes the payload, so messages are safe to log.
 */
public final class Message {
  /** Content type of {@link Builder#text(String)} payloads. */
  public static final String TEXT_PLAIN = "text/plain";

  /** Content type of {@link Builder#payload(byte[])} payloads. */
  public static final String OCTET_STREAM = "application/octet-stream";

  /** Highest message priority. */
  public static final int MAX_PRIORITY = 255;

  private static final byte[] EMPTY = new byte[0];

  // compact, as a queued message costs little beyond its payload: no map without headers, a
  // generated id kept as its 128 bits and rendered on demand, the time as seconds and nanos
  private final String id; // null when the id is the generated one in idHigh/idLow
  private final long idHigh;
  private final long idLow;
  private final String topic;
  private final String action;
  private final byte[] payload;
  private final String contentType;
  private final Map<String, String> headers;
  private final long epochSecond;
  private final int nano;
  private final int priority;
  private final MessageFields.Rare rare; // key, ttl, expiresAt; null when none is set

  private Message(Builder b) {
    long millis = b.timestamp == null ? System.currentTimeMillis() : 0; // one clock read for both
    long high = b.idHigh; // a version 7 UUID's high bits are never 0: 0 means none yet
    long low = b.idLow;
    if (b.id == null && high == 0) { // a fresh id per build(), also from a reused builder
      UUID generated = b.timestamp == null ? UuidV7.at(millis) : UuidV7.next();
      high = generated.getMostSignificantBits();
      low = generated.getLeastSignificantBits();
    }
    this.id = b.id;
    this.idHigh = high;
    this.idLow = low;
    this.topic = b.topic;
    this.action = b.action;
    this.payload = b.payload;
    this.contentType = b.contentType;
    this.headers =
        b.headers == null || b.headers.isEmpty()
            ? Collections.emptyMap()
            : Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    Instant t = b.timestamp != null ? b.timestamp : Instant.ofEpochMilli(millis);
    this.epochSecond = t.getEpochSecond();
    this.nano = t.getNano();
    this.priority = b.priority;
    this.rare = MessageFields.rare(b.key, b.ttl, b.expiresAt);
  }

  /** A builder for a new message with a fresh time-ordered id. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of this message, id included, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.idHigh = idHigh;
    b.idLow = idLow;
    b.topic = topic;
    b.action = action;
    b.payload = payload;
    b.contentType = contentType;
    b.headers = headers.isEmpty() ? null : new LinkedHashMap<>(headers);
    b.timestamp = timestamp();
    b.priority = priority;
    if (rare != null) {
      b.key = rare.key();
      b.ttl = rare.ttl();
      b.expiresAt = rare.expiresAt();
    }
    return b;
  }

  /** The message id: unique, time-ordered by default. */
  public String id() {
    return id != null ? id : new UUID(idHigh, idLow).toString();
  }

  /** The destination queue or topic, or {@code null} when not set yet (publishing requires it). */
  public String topic() {
    return topic;
  }

  /** The event type or routing key, for example {@code user.created}; may be {@code null}. */
  public String action() {
    return action;
  }

  /** A copy of the payload bytes. */
  public byte[] payload() {
    return payload.clone();
  }

  /** A read-only view of the payload, without copying. */
  public ByteBuffer payloadView() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  /** The payload size in bytes. */
  public int payloadSize() {
    return payload.length;
  }

  /** The payload decoded as UTF-8 text. */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** The payload's content type, for example {@code application/json}. */
  public String contentType() {
    return contentType;
  }

  /** The headers, in insertion order; unmodifiable. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The value of header {@code name}, if present. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /** When the message was created (UTC). */
  public Instant timestamp() {
    return Instant.ofEpochSecond(epochSecond, nano);
  }

  /** Priority 0 (default) to 255; honoured only by queues declared with a max priority. */
  public int priority() {
    return priority;
  }

  /** The ordering/partition key, if any. */
  public Optional<String> key() {
    return Optional.ofNullable(rare == null ? null : rare.key());
  }

  /** Time to live counted from when the queue accepts the message, if any. */
  public Optional<Duration> ttl() {
    return Optional.ofNullable(rare == null ? null : rare.ttl());
  }

  /** Absolute expiry, if any. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(rare == null ? null : rare.expiresAt());
  }

  /** The correlation id (header {@value JQueueHeaders#CORRELATION_ID}), if any. */
  public Optional<String> correlationId() {
    return header(JQueueHeaders.CORRELATION_ID);
  }

  /** Where replies go (header {@value JQueueHeaders#REPLY_TO}), if anywhere. */
  public Optional<String> replyTo() {
    return header(JQueueHeaders.REPLY_TO);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Message)) {
      return false;
    }
    Message m = (Message) o;
    return priority == m.priority
        && (id == null && m.id == null
            ? idHigh == m.idHigh && idLow == m.idLow
            : id().equals(m.id()))
        && Objects.equals(topic, m.topic)
        && Objects.equals(action, m.action)
        && Arrays.equals(payload, m.payload)
        && contentType.equals(m.contentType)
        && headers.equals(m.headers)
        && epochSecond == m.epochSecond
        && nano == m.nano
        && Objects.equals(rare, m.rare);
  }

  @Override
  public int hashCode() {
    return id().hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Message{id=").append(id());
    s.append(", topic=").append(topic);
    if (action != null) {
      s.append(", action=").append(action);
    }
    if (rare != null && rare.key() != null) {
      s.append(", key=").append(rare.key());
    }
    if (priority != 0) {
      s.append(", priority=").append(priority);
    }
    s.append(", contentType=").append(contentType);
    s.append(", payload=").append(payload.length).append(" bytes");
    s.append(", headers=").append(headers.keySet());
    return s.append('}').toString();
  }

  /** Builds a {@link Message}; not thread-safe. Each setter validates its argument at once. */
  public static final class Builder {
    private String id;
    private long idHigh; // toBuilder of a generated id keeps its bits; id(String) takes precedence
    private long idLow;
    private String topic;
    private String action;
    private byte[] payload = EMPTY;
    private String contentType = OCTET_STREAM;
    private Map<String, String> headers; // made at the first header
    private Instant timestamp;
    private int priority;
    private String key;
    private Duration ttl;
    private Instant expiresAt;

    private Builder() {}

    /** Sets the id (default: a new time-ordered UUID v7). */
    public Builder id(String id) {
      this.id = MessageFields.id(id);
      return this;
    }

    /** Sets the destination queue or topic: 1–255 bytes of {@code [A-Za-z0-9._:-]}. */
    public Builder topic(String topic) {
      this.topic = Names.requireValidDestination(topic, "topic");
      return this;
    }

    /** Sets the event type / routing key ({@code null} clears it). */
    public Builder action(String action) {
      this.action = MessageFields.action(action);
      return this;
    }

    /** Sets raw payload bytes (copied) with content type {@code application/octet-stream}. */
    public Builder payload(byte[] payload) {
      return payload(payload, OCTET_STREAM);
    }

    /** Sets raw payload bytes (copied) with the given content type. */
    public Builder payload(byte[] payload, String contentType) {
      Objects.requireNonNull(payload, "payload");
      this.payload = payload.clone();
      return contentType(contentType);
    }

    /** Sets a UTF-8 text payload with content type {@code text/plain}. */
    public Builder text(String text) {
      Objects.requireNonNull(text, "text");
      this.payload = text.getBytes(StandardCharsets.UTF_8);
      this.contentType = TEXT_PLAIN;
      return this;
    }

    /** Encodes {@code value} as JSON with the default codec. */
    public Builder data(Object value) {
      return data(value, Codec.json());
    }

    /** Encodes {@code value} with {@code codec}; throws {@link CodecException} when it cannot. */
    public Builder data(Object value, Codec codec) {
      this.payload = codec.encode(value);
      this.contentType = codec.contentType();
      return this;
    }

    /** Overrides the content type. */
    public Builder contentType(String contentType) {
      this.contentType = MessageFields.contentType(contentType);
      return this;
    }

    /** Adds or replaces a header; names must be non-empty without control characters. */
    public Builder header(String name, String value) {
      Names.requireValidHeaderName(name);
      MessageFields.headerValue(name, value);
      if (headers == null) {
        headers = new LinkedHashMap<>();
      }
      headers.put(name, value);
      return this;
    }

    /** Adds or replaces every header of {@code values}, in their iteration order. */
    public Builder headers(Map<String, String> values) {
      values.forEach(this::header);
      return this;
    }

    /** Removes a header. */
    public Builder removeHeader(String name) {
      if (headers != null) {
        headers.remove(name);
      }
      return this;
    }

    /** Sets header {@value JQueueHeaders#CORRELATION_ID} (AMQP correlation-id); null: none. */
    public Builder correlationId(String correlationId) {
      return optionalHeader(JQueueHeaders.CORRELATION_ID, correlationId);
    }

    /**
     * Sets where replies go, header {@value JQueueHeaders#REPLY_TO} (AMQP reply-to); null: none.
     */
    public Builder replyTo(String replyTo) {
      return optionalHeader(JQueueHeaders.REPLY_TO, replyTo);
    }

    private Builder optionalHeader(String name, String value) {
      return MessageFields.optionalHeader(name, value) == null
          ? removeHeader(name)
          : header(name, value);
    }

    /** Sets the creation time (default: now, to the millisecond, the time in a generated id). */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
      return this;
    }

    /** Sets the priority, 0–255; only queues declared with a max priority honour it. */
    public Builder priority(int priority) {
      this.priority = MessageFields.priority(priority);
      return this;
    }

    /** Sets the ordering key: an ordered queue handles messages of one key one at a time. */
    public Builder key(String key) {
      this.key = MessageFields.key(key);
      return this;
    }

    /**
     * Sets the time to live, counted from when the queue accepts the message: positive and at most
     * 2<sup>32</sup>-1 ms (about 49 days), the longest RabbitMQ holds.
     */
    public Builder ttl(Duration ttl) {
      this.ttl = MessageFields.ttl(ttl);
      return this;
    }

    /**
     * Sets an absolute expiry; the earlier of this, the TTL and the queue's TTL applies. At publish
     * it may lie at most 2<sup>32</sup>-1 ms (about 49 days) ahead, like a TTL.
     */
    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /** Builds the immutable message. */
    public Message build() {
      return new Message(this);
    }
  }
}
