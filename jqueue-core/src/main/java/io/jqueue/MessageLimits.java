package io.jqueue;

/**
 * Size limits checked at publish, before anything is sent (SPEC §2).
 *
 * @param maxPayloadBytes largest payload accepted, in bytes (default 1 MiB); a larger one is a
 *     {@link MessageTooLargeException}
 * @param maxHeaders most headers a message may carry (default 200); more is a {@link
 *     ValidationException}
 */
public record MessageLimits(int maxPayloadBytes, int maxHeaders) {
  /** Default payload limit: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

  /** Default header count limit. */
  public static final int DEFAULT_MAX_HEADERS = 200;

  /** Validates both limits are positive. */
  public MessageLimits {
    if (maxPayloadBytes <= 0) {
      throw new ValidationException("maxPayloadBytes must be positive, got " + maxPayloadBytes);
    }
    if (maxHeaders <= 0) {
      throw new ValidationException("maxHeaders must be positive, got " + maxHeaders);
    }
  }

  /** 1 MiB payloads, 200 headers. */
  public static MessageLimits defaults() {
    return new MessageLimits(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_HEADERS);
  }

  /** A copy with another payload limit. */
  public MessageLimits withMaxPayloadBytes(int bytes) {
    return new MessageLimits(bytes, maxHeaders);
  }

  /** A copy with another header count limit. */
  public MessageLimits withMaxHeaders(int count) {
    return new MessageLimits(maxPayloadBytes, count);
  }
}
