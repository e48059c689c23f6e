package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Utf8Test {

  private static int encoded(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  @DisplayName("length counts what UTF-8 encodes: 1, 2, 3 and 4 byte characters")
  void lengthMatchesEncoder() {
    for (String s : new String[] {"", "abc", "é", "€uro", "😀", "a😀é€", "x".repeat(300)}) {
      assertThat(Utf8.length(s)).as(s).isEqualTo(encoded(s));
    }
  }

  @Test
  @DisplayName("fits agrees with the byte count at and around the limit, for every width")
  void fitsAtTheLimit() {
    for (String unit : new String[] {"a", "é", "€", "😀"}) {
      for (int n = 0; n <= 100; n++) {
        String s = unit.repeat(n);
        for (int max : new int[] {0, 1, 2, 3, 4, 85, 254, 255, 256}) {
          assertThat(Utf8.fits(s, max))
              .as("%d x %s within %d bytes", n, unit, max)
              .isEqualTo(encoded(s) <= max);
        }
      }
    }
  }
}
