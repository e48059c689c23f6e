package io.jqueue.middleware;

import io.jqueue.CodecException;
import io.jqueue.ConfigurationException;
import io.jqueue.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The wire format of {@link Encryption}, read back by {@link Decryption}; documented in their
 * Javadoc and fixed, since messages outlive releases.
 *
 * <p>Payload: the 12-byte nonce, then the AES-256-GCM ciphertext with its 16-byte tag appended
 * (what {@code Cipher.doFinal} returns), so a body is 28 bytes longer than its plaintext. The
 * associated data is the fields of {@link #aad} in their order, each as a 4-byte big-endian length
 * followed by that many bytes of UTF-8; an absent field is the length -1 ({@code FF FF FF FF}) with
 * no bytes, so no two different messages share an encoding.
 */
final class AesGcmFormat {
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  static final int OVERHEAD_BYTES = NONCE_BYTES + TAG_BITS / 8;

  /** First field of the associated data: names this format, so a future one cannot be confused. */
  static final String AAD_VERSION = "jqueue-aad-v1";

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private AesGcmFormat() {}

  /**
   * The associated data of {@code m}: {@value #AAD_VERSION}, the headers {@value
   * Encryption#ALGORITHM_HEADER} and {@value Encryption#KEY_ID_HEADER}, the message id, topic,
   * action and content type, and the header {@value Compression#CONTENT_ENCODING}.
   */
  static byte[] aad(Message m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    field(out, AAD_VERSION);
    field(out, m.headers().get(Encryption.ALGORITHM_HEADER));
    field(out, m.headers().get(Encryption.KEY_ID_HEADER));
    field(out, m.id());
    field(out, m.topic());
    field(out, m.action());
    field(out, m.contentType());
    field(out, m.headers().get(Compression.CONTENT_ENCODING));
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String value) {
    if (value == null) {
      writeInt(out, -1);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    writeInt(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  /** A new cipher; the JDK always has AES/GCM, so a missing one is a broken installation. */
  static Cipher cipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new ConfigurationException(
          "this JVM offers no " + TRANSFORMATION + " cipher; use a JDK with the SunJCE provider",
          e);
    }
  }

  /**
   * The body of {@code headed} (which carries its encryption headers already) encrypted with {@code
   * key} and {@code nonce}: nonce || ciphertext || tag.
   */
  static byte[] seal(SecretKey key, byte[] nonce, Message headed) {
    byte[] plain = headed.payload();
    try {
      Cipher cipher = cipher();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(headed));
      byte[] body = new byte[NONCE_BYTES + cipher.getOutputSize(plain.length)];
      System.arraycopy(nonce, 0, body, 0, NONCE_BYTES);
      cipher.doFinal(plain, 0, plain.length, body, NONCE_BYTES);
      return body;
    } catch (GeneralSecurityException e) {
      throw new CodecException(
          "could not encrypt message " + headed.id() + " (" + e.getClass().getSimpleName() + ")",
          e);
    }
  }

  /**
   * The plaintext of {@code m}, checked against its tag and associated data.
   *
   * @throws CodecException when the body is too short or anything bound was changed
   */
  static byte[] open(SecretKey key, Message m) {
    byte[] body = m.payload();
    if (body.length < OVERHEAD_BYTES) {
      throw new CodecException(
          "encrypted message "
              + m.id()
              + " has a body of "
              + body.length
              + " bytes, shorter than the "
              + OVERHEAD_BYTES
              + " bytes of nonce and tag; it was truncated and cannot be decrypted");
    }
    try {
      Cipher cipher = cipher();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
      cipher.updateAAD(aad(m));
      return cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new CodecException(
          "encrypted message "
              + m.id()
              + " failed authentication: its body, or its key id, algorithm, id, topic, action,"
              + " content type or content-encoding, was changed after encryption (or it was"
              + " encrypted with another key under the same id); it cannot be trusted",
          e);
    } catch (GeneralSecurityException e) {
      throw new CodecException(
          "could not decrypt message " + m.id() + " (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
