package io.jqueue.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that
 * keeps ids generated in one process strictly increasing within the same millisecond, then 62
 * random bits.
 *
 * <p>The random bits come from {@link ThreadLocalRandom}: ids are unique, not secret.
 */
public final class UuidV7 {
  /** Upper 64 bits of the last id: unix millis (48) | version (4) | counter (12). */
  private static final AtomicLong LAST_HIGH = new AtomicLong();

  private UuidV7() {}

  /** A new id; ids from one process sort in creation order. */
  public static UUID next() {
    return at(System.currentTimeMillis());
  }

  /** A new id for a moment the caller already read from the clock ({@code nowMillis}). */
  public static UUID at(long nowMillis) {
    long high = nextHigh(nowMillis);
    long low = (ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | Long.MIN_VALUE;
    return new UUID(high, low);
  }

  /** The Unix time in milliseconds encoded in a version 7 UUID. */
  public static long millisOf(UUID uuid) {
    return uuid.getMostSignificantBits() >>> 16;
  }

  static long nextHigh(long nowMillis) {
    long candidate = (nowMillis << 16) | 0x7000L;
    while (true) {
      long last = LAST_HIGH.get();
      long next;
      if (candidate > last) {
        next = candidate;
      } else {
        // Same (or an earlier, if the clock stepped back) millisecond: bump the counter; when
        // the 12-bit counter overflows this carries into the millisecond field, which keeps
        // order at the cost of running a little ahead of the clock.
        next = last + 1;
        if ((next & 0xF000L) != 0x7000L) {
          next = ((next >>> 16) + 1) << 16 | 0x7000L;
        }
      }
      if (LAST_HIGH.compareAndSet(last, next)) {
        return next;
      }
    }
  }
}
