package io.jqueue;

/**
 * Size limits checked at publish, before anything is sent (SPEC §2). Every broker can carry a
 * message within the default limits; lower them freely, raise the payload and header limits only as
 * far as your broker allows.
 *
 * @param maxPayloadBytes largest payload accepted, in bytes (default 1 MiB); a larger one is a
 *     {@link MessageTooLargeException}
 * @param maxHeaders most headers a message may carry (default 200); more is a {@link
 *     ValidationException}
 * @param maxHeaderBytes largest encoded size of all headers together (default 64 KiB), counted as
 *     each header's name and value in UTF-8 plus {@value #HEADER_OVERHEAD_BYTES} bytes; more is a
 *     {@link MessageTooLargeException}. RabbitMQ must fit every header of a message, jqueue's own
 *     included, into one 128 KiB frame: the default leaves room for them.
 * @param maxIdentifierBytes longest id, key, action and content type, in UTF-8 bytes (default and
 *     most 255, what AMQP short strings hold); longer is a {@link ValidationException}
 */
public record MessageLimits(
    int maxPayloadBytes, int maxHeaders, int maxHeaderBytes, int maxIdentifierBytes) {
  /** Default payload limit: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

  /** Default header count limit. */
  public static final int DEFAULT_MAX_HEADERS = 200;

  /** Default limit on the encoded size of all headers: 64 KiB. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;

  /** Default (and highest) limit on the id, key, action and content type: 255 bytes. */
  public static final int MAX_IDENTIFIER_BYTES = 255;

  /** Bytes a header costs beyond its name and value in {@link #maxHeaderBytes}. */
  public static final int HEADER_OVERHEAD_BYTES = 6;

  /** Validates every limit is positive and identifiers fit 255 bytes. */
  public MessageLimits {
    positive(maxPayloadBytes, "maxPayloadBytes");
    positive(maxHeaders, "maxHeaders");
    positive(maxHeaderBytes, "maxHeaderBytes");
    positive(maxIdentifierBytes, "maxIdentifierBytes");
    if (maxIdentifierBytes > MAX_IDENTIFIER_BYTES) {
      throw new ValidationException(
          "maxIdentifierBytes must be at most 255 (AMQP short strings), got " + maxIdentifierBytes);
    }
  }

  /** Limits with the default header-size and identifier limits. */
  public MessageLimits(int maxPayloadBytes, int maxHeaders) {
    this(maxPayloadBytes, maxHeaders, DEFAULT_MAX_HEADER_BYTES, MAX_IDENTIFIER_BYTES);
  }

  private static void positive(int value, String name) {
    if (value <= 0) {
      throw new ValidationException(name + " must be positive, got " + value);
    }
  }

  /** 1 MiB payloads, 200 headers of at most 64 KiB together, identifiers of at most 255 bytes. */
  public static MessageLimits defaults() {
    return new MessageLimits(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_HEADERS);
  }

  /** A copy with another payload limit. */
  public MessageLimits withMaxPayloadBytes(int bytes) {
    return new MessageLimits(bytes, maxHeaders, maxHeaderBytes, maxIdentifierBytes);
  }

  /** A copy with another header count limit. */
  public MessageLimits withMaxHeaders(int count) {
    return new MessageLimits(maxPayloadBytes, count, maxHeaderBytes, maxIdentifierBytes);
  }

  /** A copy with another limit on the encoded size of all headers. */
  public MessageLimits withMaxHeaderBytes(int bytes) {
    return new MessageLimits(maxPayloadBytes, maxHeaders, bytes, maxIdentifierBytes);
  }

  /** A copy with another limit on the id, key, action and content type (at most 255). */
  public MessageLimits withMaxIdentifierBytes(int bytes) {
    return new MessageLimits(maxPayloadBytes, maxHeaders, maxHeaderBytes, bytes);
  }
}
