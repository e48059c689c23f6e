package io.jqueue.codec;

import java.lang.reflect.Type;

/**
 * Turns objects into payload bytes and back; the SPI behind {@code Message.Builder.data(...)} and
 * {@code Delivery.data(...)}.
 *
 * <p>Implementations must be thread-safe and must throw {@link io.jqueue.CodecException} (never
 * another runtime exception) when a value cannot be encoded or a payload cannot be decoded: the
 * consumer turns that exception into a dead-letter with reason {@code DECODE_ERROR} instead of
 * retrying a message that can never succeed.
 */
public interface Codec {

  /** The content type this codec writes, for example {@code application/json}. */
  String contentType();

  /** Encodes {@code value}; throws {@link io.jqueue.CodecException} when it cannot. */
  byte[] encode(Object value);

  /**
   * Decodes {@code payload} as {@code type} (a {@code Class} or a generic type); throws {@link
   * io.jqueue.CodecException} when the payload is not a valid value of that type.
   */
  <T> T decode(byte[] payload, Type type);

  /** The default codec: JSON through Jackson with safe settings (see {@link JsonCodec}). */
  static Codec json() {
    return JsonCodec.DEFAULT;
  }
}
