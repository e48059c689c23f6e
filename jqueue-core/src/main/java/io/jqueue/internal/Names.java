package io.jqueue.internal;

import io.jqueue.ValidationException;
import java.nio.charset.StandardCharsets;

/** Validation rules for queue and topic names and for header names (SPEC §2). */
public final class Names {
  /** Suffix of the dead-letter queue that every queue gets. */
  public static final String DLQ_SUFFIX = ".dlq";

  private static final int MAX_NAME_BYTES = 255;

  private Names() {}

  /**
   * Checks a queue or topic name: 1–255 bytes of {@code [A-Za-z0-9._:-]}.
   *
   * @param what what the name is for, used in the error ("queue name", "topic")
   * @return the name
   * @throws ValidationException naming the first offending character and its position
   */
  public static String requireValid(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new ValidationException(what + " is required (1-255 characters of [A-Za-z0-9._:-])");
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw new ValidationException(
          what + " '" + abbreviate(name) + "' is " + bytes + " bytes long; the limit is 255");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isNameChar(c)) {
        throw new ValidationException(
            what
                + " '"
                + abbreviate(name)
                + "' has an invalid character "
                + describe(c)
                + " at position "
                + i
                + "; use only letters, digits and . _ : -");
      }
    }
    return name;
  }

  /**
   * Checks a header name: non-empty, without control characters.
   *
   * @throws ValidationException when the name is empty or holds a control character
   */
  public static String requireValidHeaderName(String name) {
    if (name == null || name.isEmpty()) {
      throw new ValidationException("header names must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new ValidationException(
            "header name '"
                + abbreviate(name.replaceAll("\\p{Cntrl}", "?"))
                + "' has a control character at position "
                + i);
      }
    }
    return name;
  }

  /** The dead-letter queue name of {@code queue}. */
  public static String deadLetterQueueOf(String queue) {
    return queue + DLQ_SUFFIX;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == ':'
        || c == '-';
  }

  private static String describe(char c) {
    if (Character.isISOControl(c) || Character.isWhitespace(c)) {
      return String.format("U+%04X", (int) c);
    }
    return "'" + c + "'";
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
