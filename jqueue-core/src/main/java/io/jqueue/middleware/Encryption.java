package io.jqueue.middleware;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import io.jqueue.ValidationException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Encrypts every payload with AES-256-GCM under the current key of a {@link KeyRing}; {@link
 * Decryption} decrypts it on the consume side. List it after {@link Compression}: encrypted bytes
 * do not compress. Thread-safe.
 *
 * <p>The format, fixed because messages outlive releases:
 *
 * <ul>
 *   <li>payload: a random 12-byte nonce (new from {@link SecureRandom} for every message), then the
 *       ciphertext with its 16-byte GCM tag: 28 bytes more than the plaintext;
 *   <li>headers: {@value #ALGORITHM_HEADER}{@code : }{@value #AES_256_GCM} and {@value
 *       #KEY_ID_HEADER} with the id of the key; the content type stays what it was;
 *   <li>associated data, authenticated but not encrypted: the fields {@code jqueue-aad-v1}, the
 *       algorithm header, the key id header, the message id, topic, action, content type and the
 *       {@value Compression#CONTENT_ENCODING} header, in this order, each as a 4-byte big-endian
 *       length and that many bytes of UTF-8, an absent field as the length -1 and no bytes.
 * </ul>
 *
 * <p>So a consumer detects a changed body and any changed bound field, and a message moved to
 * another topic; other headers are not bound. With random nonces, rotate keys ({@link
 * KeyRing#rotate}) long before one key has encrypted 2<sup>32</sup> messages.
 */
public final class Encryption implements AsyncPublishMiddleware {
  /** The header naming the algorithm of an encrypted message. */
  public static final String ALGORITHM_HEADER = "jqueue-encryption";

  /** The header naming the key that encrypted a message. */
  public static final String KEY_ID_HEADER = "jqueue-key-id";

  /** The value of {@value #ALGORITHM_HEADER}: AES with a 256-bit key in GCM mode. */
  public static final String AES_256_GCM = "AES-256-GCM";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyRing keys;

  private Encryption(KeyRing keys) {
    this.keys = keys;
  }

  /** Encrypts with the current key of {@code keys}. */
  public static Encryption aesGcm(KeyRing keys) {
    Objects.requireNonNull(keys, "keys");
    AesGcmFormat.cipher(); // fail now, not at the first publish, on a JVM without AES/GCM
    return new Encryption(keys);
  }

  /**
   * Sends {@code message} encrypted.
   *
   * @throws ValidationException when the message carries an encryption header already (it is
   *     encrypted, for example a delivered message published again without decrypting it)
   */
  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    return chain.proceed(encrypted(message));
  }

  /** Like {@link #publish}, on the pipelined path. */
  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain) {
    return chain.proceed(encrypted(message));
  }

  private Message encrypted(Message message) {
    if (message.headers().containsKey(ALGORITHM_HEADER)
        || message.headers().containsKey(KEY_ID_HEADER)) {
      throw new ValidationException(
          "message "
              + message.id()
              + " has a "
              + ALGORITHM_HEADER
              + " or "
              + KEY_ID_HEADER
              + " header already: it is encrypted (decrypt a delivered message before publishing"
              + " it again through Encryption) or sets a header that Encryption writes");
    }
    Message headed =
        message.toBuilder()
            .header(ALGORITHM_HEADER, AES_256_GCM)
            .header(KEY_ID_HEADER, keys.currentKeyId())
            .build();
    byte[] nonce = new byte[AesGcmFormat.NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] body = AesGcmFormat.seal(keys.currentKey(), nonce, headed);
    return headed.toBuilder().payload(body, message.contentType()).build();
  }

  @Override
  public String name() {
    return "encryption";
  }

  @Override
  public String toString() {
    return "Encryption{" + AES_256_GCM + ", " + keys + '}';
  }
}
