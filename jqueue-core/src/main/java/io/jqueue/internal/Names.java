package io.jqueue.internal;

import io.jqueue.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Validation rules for queue and topic names and for header names (SPEC §2). */
public final class Names {
  /** Suffix of the dead-letter queue that every queue gets. */
  public static final String DLQ_SUFFIX = ".dlq";

  private static final int MAX_NAME_BYTES = 255;

  /** Header names RabbitMQ writes itself (dead-lettering, quorum queues, shovels, AMQP 1.0). */
  private static final java.util.Set<String> BROKER_HEADERS =
      java.util.Set.of("x-death", "x-delivery-count", "x-received-from");

  /** Prefixes of header names RabbitMQ writes itself. */
  private static final java.util.List<String> BROKER_HEADER_PREFIXES =
      java.util.List.of("x-first-death-", "x-last-death-", "x-opt-", "x-stream-", "x-shovelled");

  /** Names RabbitMQ reserves for itself; refused everywhere so topologies stay portable. */
  private static final String RESERVED_PREFIX = "amq.";

  private Names() {}

  /**
   * Checks a name: 1–255 bytes of {@code [A-Za-z0-9._:-]}.
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
   * Checks the name of a queue or topic: {@link #requireValid} and not starting with {@code amq.},
   * which RabbitMQ reserves; refused on every broker so that code moves between them unchanged.
   */
  public static String requireValidDestination(String name, String what) {
    requireValid(name, what);
    if (name.startsWith(RESERVED_PREFIX)) {
      throw new ValidationException(
          what
              + " '"
              + abbreviate(name)
              + "' starts with 'amq.', which RabbitMQ reserves for its own queues and exchanges;"
              + " choose another name (jqueue refuses it on every broker, so code moves between"
              + " them unchanged)");
    }
    return name;
  }

  /**
   * Checks a header name: non-empty, at most 255 bytes of UTF-8, without control characters, and
   * not one RabbitMQ writes itself ({@link #isBrokerHeader}).
   *
   * @throws ValidationException when the name is empty, too long, reserved or holds a control
   *     character
   */
  public static String requireValidHeaderName(String name) {
    if (name == null || name.isEmpty()) {
      throw new ValidationException("header names must not be empty");
    }
    int bytes = Utf8.length(name);
    if (bytes > MAX_NAME_BYTES) {
      throw new ValidationException(
          "header name '"
              + abbreviate(name.replaceAll("\\p{Cntrl}", "?"))
              + "' is "
              + bytes
              + " bytes long; the limit is 255");
    }
    if (isBrokerHeader(name)) {
      throw new ValidationException(
          "header name '"
              + abbreviate(name)
              + "' is one RabbitMQ writes itself (x-death, x-first-death-*, x-last-death-*,"
              + " x-delivery-count, x-received-from, x-opt-*, x-stream-*, x-shovelled*); jqueue"
              + " refuses it on every broker: choose another name (other x- names are carried)");
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

  /**
   * Whether RabbitMQ writes header {@code name} itself: such headers are the broker's bookkeeping,
   * refused at publish and not passed on to handlers.
   */
  public static boolean isBrokerHeader(String name) {
    if (BROKER_HEADERS.contains(name)) {
      return true;
    }
    for (String prefix : BROKER_HEADER_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
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

  /**
   * {@code value} fit for an error message: at most {@code max} characters (cut with {@code ...}),
   * control characters shown as {@code ?}, so untrusted text cannot forge log lines.
   */
  public static String printable(String value, int max) {
    String shown = value.length() <= max ? value : value.substring(0, max - 3) + "...";
    return shown.replaceAll("\\p{Cntrl}", "?");
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /**
   * {@code prefix}, a dash and 8 random hex digits: a default id for a consumer, publisher or
   * requester. Unique enough to tell them apart in logs, not secret, so no {@code SecureRandom}
   * (whose seeding costs tens of milliseconds at start-up).
   */
  public static String randomId(String prefix) {
    long bits = ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL;
    return prefix + "-" + Long.toHexString(bits | 0x1_0000_0000L).substring(1);
  }
}
