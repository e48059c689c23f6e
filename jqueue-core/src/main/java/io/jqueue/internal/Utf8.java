package io.jqueue.internal;

import io.jqueue.MessageLimits;
import java.util.Map;

/** UTF-8 sizes computed without encoding, for the limits checked at publish. */
public final class Utf8 {
  private Utf8() {}

  /** The UTF-8 length of {@code s} in bytes (an unpaired surrogate counts 3: an upper bound). */
  public static int length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * Whether {@code s} is at most {@code max} bytes in UTF-8; counts only when its length alone
   * cannot tell (a char is at most 3 bytes: a surrogate pair, 2 chars, is 4).
   */
  public static boolean fits(String s, int max) {
    int chars = s.length();
    if (chars <= max / 3) {
      return true;
    }
    return chars <= max && length(s) <= max;
  }

  /** The encoded size of {@code headers} as {@link MessageLimits#maxHeaderBytes()} counts it. */
  public static long headerBytes(Map<String, String> headers) {
    long total = 0;
    for (Map.Entry<String, String> h : headers.entrySet()) {
      total += length(h.getKey()) + length(h.getValue()) + MessageLimits.HEADER_OVERHEAD_BYTES;
    }
    return total;
  }
}
