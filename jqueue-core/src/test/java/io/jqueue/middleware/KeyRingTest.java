package io.jqueue.middleware;

import static io.jqueue.middleware.ByteFixtures.consumeThrough;
import static io.jqueue.middleware.ByteFixtures.key;
import static io.jqueue.middleware.ByteFixtures.publishThrough;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.ConfigurationException;
import io.jqueue.Message;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeyRingTest {

  @Test
  @DisplayName(
      "a key of other than 32 bytes is a ConfigurationException naming the id, not the key")
  void keyLength() {
    for (int length : new int[] {0, 16, 31, 33, 64}) {
      byte[] bad = ByteFixtures.random(length);
      assertThatThrownBy(() -> KeyRing.builder().current("k1", bad))
          .as("%d bytes", length)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("'k1' is " + length + " bytes")
          .hasMessageContaining("exactly 32 bytes")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secretForms(bad)));
      assertThatThrownBy(() -> KeyRing.builder().current("k0", key()).retired("k1", bad))
          .isInstanceOf(ConfigurationException.class);
    }
  }

  @Test
  @DisplayName("key ids must be 1-64 header-safe characters and unique in a ring")
  void keyIds() {
    for (String bad : List.of("", " ", "k 1", "k,1", "k\n1", "clé", "k".repeat(65))) {
      assertThatThrownBy(() -> KeyRing.builder().current(bad, key()))
          .as("'%s'", bad)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("key id")
          .hasMessageContaining("1-64 characters");
    }
    assertThatThrownBy(() -> KeyRing.builder().current(null, key()))
        .isInstanceOf(ConfigurationException.class);
    assertThat(KeyRing.builder().current("k".repeat(64), key()).build().currentKeyId()).hasSize(64);
    assertThatThrownBy(() -> KeyRing.builder().current("k1", key()).retired("k1", key()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'k1' is in the key ring already");
    assertThatThrownBy(() -> KeyRing.builder().current("k1", key()).current("k2", key()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("one current key");
    assertThatThrownBy(() -> KeyRing.builder().retired("k1", key()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("current key");
  }

  @Test
  @DisplayName("toString shows the key ids and never the key bytes")
  void toStringHidesKeys() {
    byte[] current = key();
    byte[] retired = key();
    KeyRing ring = KeyRing.builder().current("k2", current).retired("k1", retired).build();

    assertThat(ring.toString())
        .isEqualTo("KeyRing{current=k2, retired=[k1]}")
        .doesNotContain(secretForms(current))
        .doesNotContain(secretForms(retired));
    assertThat(Encryption.aesGcm(ring).toString()).doesNotContain(secretForms(current));
    assertThat(Decryption.aesGcm(ring).toString()).doesNotContain(secretForms(current));
  }

  @Test
  @DisplayName("rotate makes a new current key and keeps every earlier key to decrypt")
  void rotate() {
    KeyRing first = KeyRing.builder().current("k1", key()).build();

    KeyRing second = first.rotate("k2", key());
    KeyRing third = second.rotate("k3", new SecretKeySpec(key(), "AES"));

    assertThat(first.keyIds()).containsExactly("k1");
    assertThat(second.currentKeyId()).isEqualTo("k2");
    assertThat(second.keyIds()).containsExactly("k2", "k1");
    assertThat(third.keyIds()).containsExactly("k3", "k2", "k1");
    assertThatThrownBy(() -> third.rotate("k1", key()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'k1' is in the key ring already");
  }

  @Test
  @DisplayName("a SecretKey must be an extractable 256-bit AES key")
  void secretKeys() throws Exception {
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256);
    SecretKey aes256 = generator.generateKey();
    generator.init(128);
    SecretKey aes128 = generator.generateKey();

    assertThat(KeyRing.builder().current("k1", aes256).build().currentKeyId()).isEqualTo("k1");
    assertThatThrownBy(() -> KeyRing.builder().current("k1", aes128))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("16 bytes");
    assertThatThrownBy(
            () -> KeyRing.builder().current("k1", new SecretKeySpec(key(), "HmacSHA256")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("HmacSHA256");
    SecretKey opaque =
        new SecretKey() {
          @Override
          public String getAlgorithm() {
            return "AES";
          }

          @Override
          public String getFormat() {
            return null;
          }

          @Override
          public byte[] getEncoded() {
            return null;
          }
        };
    assertThatThrownBy(() -> KeyRing.builder().current("k1", opaque))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("getEncoded() is null");
  }

  @Test
  @DisplayName("the ring copies the key bytes: changing the array afterwards changes nothing")
  void copiesKeys() throws Exception {
    byte[] bytes = key();
    KeyRing ring = KeyRing.builder().current("k1", bytes).build();
    KeyRing twin = KeyRing.builder().current("k1", bytes.clone()).build();
    Message sealed =
        publishThrough(
            Message.builder().topic("q").text("secret").build(), Encryption.aesGcm(ring));

    bytes[0] ^= 0x55;

    assertThat(consumeThrough(sealed, Decryption.aesGcm(twin)).text()).isEqualTo("secret");
    Message again =
        publishThrough(Message.builder().topic("q").text("later").build(), Encryption.aesGcm(ring));
    assertThat(consumeThrough(again, Decryption.aesGcm(twin)).text()).isEqualTo("later");
  }

  /** The ways a key might leak into text: hex (both cases) and Base64. */
  static String[] secretForms(byte[] key) {
    if (key.length == 0) {
      return new String[] {"\u0000never"};
    }
    String hex = HexFormat.of().formatHex(key);
    return new String[] {hex, hex.toUpperCase(), Base64.getEncoder().encodeToString(key)};
  }
}
