package io.jqueue.internal;

/**
 * Describes user-supplied throwables without trusting their {@code getMessage}/{@code toString}.
 */
public final class Errors {
  private Errors() {}

  /** {@code error.toString()}, or its class name when that throws. */
  public static String describe(Throwable error) {
    if (error == null) {
      return "null";
    }
    try {
      return String.valueOf(error);
    } catch (RuntimeException e) {
      return error.getClass().getName() + " (its toString() threw " + e.getClass().getName() + ")";
    }
  }

  /** {@code error.getMessage()} (never null), or a note when that throws. */
  public static String messageOf(Throwable error) {
    try {
      return String.valueOf(error.getMessage());
    } catch (RuntimeException e) {
      return "(getMessage() threw " + e.getClass().getName() + ")";
    }
  }
}
