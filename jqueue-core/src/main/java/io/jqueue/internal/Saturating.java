package io.jqueue.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * Time arithmetic that saturates instead of overflowing. Every duration, deadline and timestamp
 * that comes from a caller or from the wire goes through here before it is added, converted to a
 * count of units or compared, so a value such as {@code Duration.ofSeconds(Long.MAX_VALUE)} or an
 * expiry of {@code Long.MIN_VALUE} milliseconds means "never" or "long ago", never an {@link
 * ArithmeticException} half-way through an operation.
 *
 * <p>Instants are kept within {@link #FAR_PAST} .. {@link #FAR_FUTURE}, the range whose epoch
 * milliseconds fit a {@code long}, so every instant this class returns can be written to the wire.
 */
public final class Saturating {
  /** The latest instant whose epoch milliseconds fit a {@code long}. */
  public static final Instant FAR_FUTURE = Instant.ofEpochMilli(Long.MAX_VALUE);

  /** The earliest instant whose epoch milliseconds fit a {@code long}. */
  public static final Instant FAR_PAST = Instant.ofEpochMilli(Long.MIN_VALUE);

  private Saturating() {}

  /** {@code d} in nanoseconds, {@code Long.MAX_VALUE} / {@code MIN_VALUE} when it does not fit. */
  public static long toNanos(Duration d) {
    if (d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE;
    }
    if (d.getSeconds() <= Long.MIN_VALUE / 1_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return d.toNanos();
  }

  /** {@code d} in milliseconds, {@code Long.MAX_VALUE} / {@code MIN_VALUE} when it does not fit. */
  public static long toMillis(Duration d) {
    if (d.getSeconds() >= Long.MAX_VALUE / 1_000L) {
      return Long.MAX_VALUE;
    }
    if (d.getSeconds() <= Long.MIN_VALUE / 1_000L) {
      return Long.MIN_VALUE;
    }
    return d.toMillis();
  }

  /**
   * {@code t + d}, kept within {@link #FAR_PAST} .. {@link #FAR_FUTURE}. Works on epoch seconds
   * (never {@code Duration.between}, which throws and catches internally for far-apart instants:
   * this runs on every publish and lease).
   */
  public static Instant plus(Instant t, Duration d) {
    Instant c = clamp(t);
    long s = d.getSeconds(); // the nano part is always 0..999,999,999
    if (s >= 0) {
      long room = FAR_FUTURE.getEpochSecond() - c.getEpochSecond(); // fits: both in range
      return s < room ? clamp(c.plus(d)) : FAR_FUTURE;
    }
    long room = c.getEpochSecond() - FAR_PAST.getEpochSecond();
    return s > -room ? clamp(c.plus(d)) : FAR_PAST;
  }

  /** {@code t} kept within {@link #FAR_PAST} .. {@link #FAR_FUTURE}. */
  public static Instant clamp(Instant t) {
    if (t.isAfter(FAR_FUTURE)) {
      return FAR_FUTURE;
    }
    return t.isBefore(FAR_PAST) ? FAR_PAST : t;
  }

  /** Nanoseconds from {@code now} until {@code deadline}, never negative, saturating. */
  public static long nanosUntil(Instant now, Instant deadline) {
    return until(now, deadline, 1_000_000_000L, 1);
  }

  /** Milliseconds from {@code now} until {@code deadline}, never negative, saturating. */
  public static long millisUntil(Instant now, Instant deadline) {
    return until(now, deadline, 1_000L, 1_000_000);
  }

  private static long until(Instant now, Instant deadline, long perSecond, int nanosPerUnit) {
    long secs = deadline.getEpochSecond() - now.getEpochSecond(); // fits for any two instants
    long nanos = deadline.getNano() - now.getNano(); // -999,999,999 .. 999,999,999
    if (secs < 0 || (secs == 0 && nanos <= 0)) {
      return 0;
    }
    if (secs >= Long.MAX_VALUE / perSecond - 1) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, secs * perSecond + nanos / nanosPerUnit);
  }

  /** The deadline {@code timeout} from now (saturating). */
  public static Instant deadlineAfter(Duration timeout) {
    return plus(wallNow(), timeout);
  }

  /**
   * The wall clock to the millisecond, for deadlines, which need no finer precision: several times
   * cheaper than {@link Instant#now()} on some virtual machines, and read on every publish.
   */
  public static Instant wallNow() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
  }

  /** {@code Math.addExact} that saturates. */
  public static long add(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }
}
