package io.jqueue.middleware;

import io.jqueue.CodecException;
import io.jqueue.ConfigurationException;
import io.jqueue.ConsumeChain;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.internal.Names;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Undoes {@link Compression} on the consume side: a message with {@value
 * Compression#CONTENT_ENCODING}{@code : }{@value Compression#GZIP} reaches the handler (or the
 * caller of a pull) as a {@link Delivery#withMessage view} with the decompressed payload and
 * without that header; a message without the header passes untouched.
 *
 * <p>Anything it cannot decode is a {@link CodecException}, so the message is dead-lettered with
 * reason {@code DECODE_ERROR}, never retried: another encoding, a corrupt or truncated gzip body,
 * or a body that inflates past {@link #maxBytes()} (a decompression bomb). It never holds more than
 * {@code maxBytes + 1} decompressed bytes of one message. List it after {@link Decryption}.
 * Thread-safe.
 */
public final class Decompression implements ConsumeMiddleware {
  /**
   * Default bound on a decompressed payload: 16 MiB, sixteen times the default publish limit on the
   * compressed payload ({@link io.jqueue.MessageLimits#DEFAULT_MAX_PAYLOAD_BYTES}), so ordinary
   * text and JSON that compress well fit, and a bomb costs at most this much memory.
   */
  public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

  /** The largest bound: the largest array a JVM allocates, less the byte that detects overflow. */
  private static final int MAX_BOUND = Integer.MAX_VALUE - 9;

  private final int maxBytes;

  private Decompression(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Decompresses gzip payloads of up to {@link #DEFAULT_MAX_BYTES} decompressed bytes. */
  public static Decompression gzip() {
    return new Decompression(DEFAULT_MAX_BYTES);
  }

  /**
   * Decompresses gzip payloads of up to {@code maxBytes} decompressed bytes; a larger one is a
   * {@link CodecException}.
   *
   * @throws ConfigurationException when {@code maxBytes} is not positive or too large for an array
   */
  public static Decompression gzip(int maxBytes) {
    if (maxBytes < 1 || maxBytes > MAX_BOUND) {
      throw new ConfigurationException(
          "the decompressed size limit must be 1-" + MAX_BOUND + " bytes, got " + maxBytes);
    }
    return new Decompression(maxBytes);
  }

  /** The most bytes one payload may decompress to. */
  public int maxBytes() {
    return maxBytes;
  }

  @Override
  public void handle(Delivery delivery, ConsumeChain chain) throws Exception {
    Message message = delivery.message();
    String encoding = message.headers().get(Compression.CONTENT_ENCODING);
    if (encoding == null) {
      chain.proceed(delivery);
      return;
    }
    if (!Compression.GZIP.equalsIgnoreCase(encoding.trim())) {
      throw new CodecException(
          "message "
              + message.id()
              + " has "
              + Compression.CONTENT_ENCODING
              + " '"
              + Names.printable(encoding, 40)
              + "', which jqueue cannot decode (only gzip); consume it without Decompression to"
              + " handle it yourself");
    }
    Message inflated =
        message.toBuilder()
            .payload(gunzip(message), message.contentType())
            .removeHeader(Compression.CONTENT_ENCODING)
            .build();
    chain.proceed(delivery.withMessage(inflated));
  }

  private byte[] gunzip(Message message) {
    byte[] plain;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(message.payload()), 8192)) {
      plain = in.readNBytes(maxBytes + 1); // grows as it reads: a bomb stops at the bound
    } catch (IOException e) {
      throw new CodecException(
          "message "
              + message.id()
              + " says it is gzipped but its body is not valid gzip ("
              + e.getMessage()
              + "); it is corrupt or truncated and cannot be decoded",
          e);
    }
    if (plain.length > maxBytes) {
      throw new CodecException(
          "message "
              + message.id()
              + " decompresses to more than "
              + maxBytes
              + " bytes, the limit of this consumer (Decompression.gzip(maxBytes)); raise the"
              + " limit if such payloads are expected");
    }
    return plain;
  }

  @Override
  public String name() {
    return "decompression";
  }

  @Override
  public String toString() {
    return "Decompression{gzip up to " + maxBytes + " bytes}";
  }
}
