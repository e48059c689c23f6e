package io.jqueue.middleware;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.CodecException;
import io.jqueue.ConfigurationException;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

/**
 * Gzips payloads larger than a threshold before they are sent and marks them with the header
 * {@value #CONTENT_ENCODING}{@code : }{@value #GZIP}; {@link Decompression} undoes it on the
 * consume side. The compressed bytes are the payload itself (never Base64), and the content type
 * stays what it was.
 *
 * <p>A message is sent unchanged, byte for byte, when its payload is at or under the threshold,
 * when it already has a {@value #CONTENT_ENCODING} header (it is never compressed twice), or when
 * gzip would not make it smaller. The publisher's {@link io.jqueue.MessageLimits} check runs after
 * every middleware, so a compressed payload counts with its compressed size. List it before {@link
 * Encryption}: encrypted bytes do not compress. Thread-safe.
 */
public final class Compression implements AsyncPublishMiddleware {
  /** The header naming how the payload is encoded, as in HTTP; written in lower case. */
  public static final String CONTENT_ENCODING = "content-encoding";

  /** The {@value #CONTENT_ENCODING} of a gzipped payload. */
  public static final String GZIP = "gzip";

  private final int thresholdBytes;

  private Compression(int thresholdBytes) {
    this.thresholdBytes = thresholdBytes;
  }

  /**
   * Gzips payloads over {@code thresholdBytes} (0 compresses every non-empty payload).
   *
   * @throws ConfigurationException when {@code thresholdBytes} is negative
   */
  public static Compression gzip(int thresholdBytes) {
    if (thresholdBytes < 0) {
      throw new ConfigurationException(
          "the compression threshold must be 0 or more bytes, got " + thresholdBytes);
    }
    return new Compression(thresholdBytes);
  }

  /** Payloads of this many bytes or fewer are sent as they are. */
  public int thresholdBytes() {
    return thresholdBytes;
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    return chain.proceed(compressed(message));
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain) {
    return chain.proceed(compressed(message));
  }

  private Message compressed(Message message) {
    if (message.payloadSize() <= thresholdBytes
        || message.headers().containsKey(CONTENT_ENCODING)) {
      return message;
    }
    byte[] compressed = gzip(message);
    if (compressed.length >= message.payloadSize()) {
      return message; // incompressible: gzip would only add work and bytes
    }
    return message.toBuilder()
        .payload(compressed, message.contentType())
        .header(CONTENT_ENCODING, GZIP)
        .build();
  }

  private static byte[] gzip(Message message) {
    byte[] payload = message.payload();
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, payload.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(payload);
    } catch (IOException e) { // a ByteArrayOutputStream does not fail; kept typed all the same
      throw new CodecException("could not gzip the payload of message " + message.id(), e);
    }
    return out.toByteArray();
  }

  @Override
  public String name() {
    return "compression";
  }

  @Override
  public String toString() {
    return "Compression{gzip over " + thresholdBytes + " bytes}";
  }
}
