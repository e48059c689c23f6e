package io.jqueue.middleware;

import io.jqueue.CodecException;
import io.jqueue.ConsumeChain;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.Delivery;
import io.jqueue.Message;
import io.jqueue.internal.Names;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Undoes {@link Encryption} on the consume side: a message with {@value
 * Encryption#ALGORITHM_HEADER} is decrypted with the key of a {@link KeyRing} (current or retired)
 * that its {@value Encryption#KEY_ID_HEADER} names, and reaches the handler (or the caller of a
 * pull) as a {@link Delivery#withMessage view} with the plaintext and without those two headers. A
 * message without them passes untouched, unless {@link #requireEncrypted()} was asked for.
 *
 * <p>Anything it cannot decrypt is a {@link CodecException}, so the message is dead-lettered with
 * reason {@code DECODE_ERROR} (still encrypted), never retried: an unknown key id or algorithm, a
 * truncated body, or a changed body or bound header (see {@link Encryption} for the format). List
 * it before {@link Decompression}. Thread-safe.
 */
public final class Decryption implements ConsumeMiddleware {
  private final KeyRing keys;
  private final boolean requireEncrypted;

  private Decryption(KeyRing keys, boolean requireEncrypted) {
    this.keys = keys;
    this.requireEncrypted = requireEncrypted;
  }

  /** Decrypts with the keys of {@code keys}; unencrypted messages pass untouched. */
  public static Decryption aesGcm(KeyRing keys) {
    Objects.requireNonNull(keys, "keys");
    AesGcmFormat.cipher(); // fail now, not at the first delivery, on a JVM without AES/GCM
    return new Decryption(keys, false);
  }

  /**
   * A copy that refuses unencrypted messages with a {@link CodecException} (dead-lettered), so no
   * plaintext a publisher sent by mistake, or anyone forged, reaches the handler.
   */
  public Decryption requireEncrypted() {
    return new Decryption(keys, true);
  }

  /** Whether unencrypted messages are refused. */
  public boolean requiresEncrypted() {
    return requireEncrypted;
  }

  @Override
  public void handle(Delivery delivery, ConsumeChain chain) throws Exception {
    Message message = delivery.message();
    String algorithm = message.headers().get(Encryption.ALGORITHM_HEADER);
    if (algorithm == null) {
      if (requireEncrypted) {
        throw new CodecException(
            "message "
                + message.id()
                + " is not encrypted, and this consumer accepts only encrypted messages"
                + " (Decryption.requireEncrypted()); publish it through Encryption");
      }
      chain.proceed(delivery);
      return;
    }
    if (!Encryption.AES_256_GCM.equals(algorithm)) {
      throw new CodecException(
          "message "
              + message.id()
              + " is encrypted with '"
              + Names.printable(algorithm, 70)
              + "'; this consumer decrypts "
              + Encryption.AES_256_GCM
              + " only");
    }
    String keyId = message.headers().get(Encryption.KEY_ID_HEADER);
    if (keyId == null) {
      throw new CodecException(
          "encrypted message "
              + message.id()
              + " has no "
              + Encryption.KEY_ID_HEADER
              + " header, so no key can decrypt it");
    }
    SecretKey key =
        keys.key(keyId)
            .orElseThrow(
                () ->
                    new CodecException(
                        "message "
                            + message.id()
                            + " was encrypted with key '"
                            + Names.printable(keyId, 70)
                            + "', which is not in this consumer's "
                            + keys
                            + "; add it as a retired key to decrypt such messages"));
    byte[] plain = AesGcmFormat.open(key, message);
    Message decrypted =
        message.toBuilder()
            .payload(plain, message.contentType())
            .removeHeader(Encryption.ALGORITHM_HEADER)
            .removeHeader(Encryption.KEY_ID_HEADER)
            .build();
    chain.proceed(delivery.withMessage(decrypted));
  }

  @Override
  public String name() {
    return "decryption";
  }

  @Override
  public String toString() {
    return "Decryption{"
        + Encryption.AES_256_GCM
        + ", "
        + keys
        + (requireEncrypted ? ", encrypted only" : "")
        + '}';
  }
}
