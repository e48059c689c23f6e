package io.jqueue.middleware;

import io.jqueue.ConfigurationException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys of {@link Encryption} and {@link Decryption}, each under an id: one current key
 * that encrypts, and retired keys that still decrypt what was encrypted before a rotation.
 * Immutable and thread-safe; build one with {@link #builder()} and rotate with {@link #rotate}.
 *
 * <p>A key is exactly {@value #KEY_BYTES} bytes; a key id is 1-{@value #MAX_KEY_ID_LENGTH}
 * characters of {@code [A-Za-z0-9._:-]}, since it travels in a header. Key bytes are copied in and
 * never leave: {@link #toString()}, errors and logs show key ids only.
 */
public final class KeyRing {
  /** Length of every key: 256 bits. */
  public static final int KEY_BYTES = 32;

  /** Longest key id. */
  public static final int MAX_KEY_ID_LENGTH = 64;

  private static final Pattern KEY_ID =
      Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_KEY_ID_LENGTH + "}");

  private final String currentKeyId;
  private final Map<String, SecretKey> keys; // current first, then retired in the order given

  private KeyRing(String currentKeyId, Map<String, SecretKey> keys) {
    this.currentKeyId = currentKeyId;
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  /** A builder for a key ring; it needs a current key. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A ring whose current key is {@code key} under {@code keyId}; the current key of this ring and
   * its retired keys become retired keys, still used to decrypt.
   *
   * @throws ConfigurationException when the key is not 32 bytes or the id is invalid or taken
   */
  public KeyRing rotate(String keyId, byte[] key) {
    return rotated(keyId, spec(keyId, key));
  }

  /**
   * A ring whose current key is {@code key} under {@code keyId}, as {@link #rotate(String,
   * byte[])}.
   *
   * @throws ConfigurationException when the key is not a 32-byte AES key or the id is invalid or
   *     taken
   */
  public KeyRing rotate(String keyId, SecretKey key) {
    return rotated(keyId, spec(keyId, key));
  }

  private KeyRing rotated(String keyId, SecretKey key) {
    Builder b = builder().current(keyId, key);
    keys.forEach(b::add);
    return b.build();
  }

  /** The id of the key that encrypts. */
  public String currentKeyId() {
    return currentKeyId;
  }

  /** Every key id, the current one first, then the retired ones. */
  public Set<String> keyIds() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(keys.keySet()));
  }

  /** The key that encrypts. */
  SecretKey currentKey() {
    return keys.get(currentKeyId);
  }

  /** The key under {@code keyId}, current or retired, if this ring has it. */
  Optional<SecretKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** Shows the key ids, never the keys. */
  @Override
  public String toString() {
    Set<String> retired = new LinkedHashSet<>(keys.keySet());
    retired.remove(currentKeyId);
    return "KeyRing{current=" + currentKeyId + ", retired=" + retired + '}';
  }

  private static SecretKey spec(String keyId, byte[] key) {
    requireValidId(keyId);
    Objects.requireNonNull(key, "key");
    if (key.length != KEY_BYTES) {
      throw new ConfigurationException(
          "key '"
              + keyId
              + "' is "
              + key.length
              + " bytes long; AES-256 needs exactly 32 bytes (for example 32 bytes from"
              + " SecureRandom, or a KeyGenerator for AES initialised with 256 bits)");
    }
    return new SecretKeySpec(key, "AES"); // copies the bytes
  }

  private static SecretKey spec(String keyId, SecretKey key) {
    requireValidId(keyId);
    Objects.requireNonNull(key, "key");
    if (!"AES".equalsIgnoreCase(key.getAlgorithm())) {
      throw new ConfigurationException(
          "key '" + keyId + "' is a " + key.getAlgorithm() + " key; use a 256-bit AES key");
    }
    byte[] encoded = key.getEncoded();
    if (encoded == null) {
      throw new ConfigurationException(
          "key '"
              + keyId
              + "' does not give out its bytes (getEncoded() is null, as for keys held in a"
              + " hardware module); KeyRing needs an extractable 256-bit AES key");
    }
    try {
      return spec(keyId, encoded);
    } finally {
      Arrays.fill(encoded, (byte) 0); // our copy; the key itself is the caller's
    }
  }

  private static void requireValidId(String keyId) {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      String shown =
          keyId == null ? "null" : "'" + io.jqueue.internal.Names.printable(keyId, 70) + "'";
      throw new ConfigurationException(
          "key id "
              + shown
              + " is invalid; use 1-64 characters of letters, digits and . _ : - (it travels in"
              + " a message header)");
    }
  }

  /** Builds a {@link KeyRing}; not thread-safe. Every method checks its arguments at once. */
  public static final class Builder {
    private String currentKeyId;
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the key that encrypts.
     *
     * @throws ConfigurationException when the key is not 32 bytes, the id is invalid or taken, or a
     *     current key is set already
     */
    public Builder current(String keyId, byte[] key) {
      return current(keyId, spec(keyId, key));
    }

    /**
     * Sets the key that encrypts, from a 256-bit AES {@link SecretKey}.
     *
     * @throws ConfigurationException as {@link #current(String, byte[])} does, or when the key is
     *     not an extractable AES key
     */
    public Builder current(String keyId, SecretKey key) {
      SecretKey checked = spec(keyId, key);
      if (currentKeyId != null) {
        throw new ConfigurationException(
            "a key ring has one current key, '"
                + currentKeyId
                + "' already; add '"
                + keyId
                + "' with retired(...) or build a new ring with rotate(...)");
      }
      add(keyId, checked);
      currentKeyId = keyId;
      return this;
    }

    /**
     * Adds a retired key: it no longer encrypts, but still decrypts messages that name it.
     *
     * @throws ConfigurationException when the key is not 32 bytes or the id is invalid or taken
     */
    public Builder retired(String keyId, byte[] key) {
      add(keyId, spec(keyId, key));
      return this;
    }

    /**
     * Adds a retired key from a 256-bit AES {@link SecretKey}.
     *
     * @throws ConfigurationException as {@link #retired(String, byte[])} does, or when the key is
     *     not an extractable AES key
     */
    public Builder retired(String keyId, SecretKey key) {
      add(keyId, spec(keyId, key));
      return this;
    }

    private void add(String keyId, SecretKey key) {
      if (keys.containsKey(keyId)) {
        throw new ConfigurationException(
            "key id '" + keyId + "' is in the key ring already; every key needs its own id");
      }
      keys.put(keyId, key);
    }

    /**
     * Builds the ring.
     *
     * @throws ConfigurationException when no current key was set
     */
    public KeyRing build() {
      if (currentKeyId == null) {
        throw new ConfigurationException(
            "a key ring needs a current key to encrypt with; set one with current(keyId, key)");
      }
      Map<String, SecretKey> ordered = new LinkedHashMap<>();
      ordered.put(currentKeyId, keys.get(currentKeyId));
      keys.forEach(ordered::putIfAbsent);
      return new KeyRing(currentKeyId, ordered);
    }
  }
}
