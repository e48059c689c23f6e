package io.jqueue.filter;

import io.jqueue.ValidationException;

/**
 * A filter expression is malformed or exceeds a limit; {@link #position()} points at the offending
 * character and {@link #expected()} says what the parser wanted there.
 *
 * <p>The message reads {@code expected a string literal at position 17 in: attributes.type =
 * email}, followed by what was found instead and, where it helps, how to fix it.
 */
public class FilterSyntaxException extends ValidationException {
  /** How much of a long expression the message repeats; the position still counts in the whole. */
  private static final int ECHO_LIMIT = 200;

  private final String expression;
  private final int position;
  private final String expected;

  /**
   * Creates the error for {@code expression}.
   *
   * @param expression the whole expression as given
   * @param position 0-based index of the character where the error is
   * @param expected what the parser expected there, for example {@code "')'"}
   * @param found what it found instead, for example {@code "end of expression"}
   * @param hint how to fix it, or an empty string
   */
  public FilterSyntaxException(
      String expression, int position, String expected, String found, String hint) {
    super(message(expression, position, expected, found, hint));
    this.expression = expression;
    this.position = position;
    this.expected = expected;
  }

  /** The 0-based index of the character where the error is. */
  public int position() {
    return position;
  }

  /** What the parser expected at {@link #position()}, for example {@code "a string literal"}. */
  public String expected() {
    return expected;
  }

  /** The expression that failed to parse. */
  public String expression() {
    return expression;
  }

  private static String message(
      String expression, int position, String expected, String found, String hint) {
    String echo =
        expression.length() <= ECHO_LIMIT
            ? expression
            : expression.substring(0, ECHO_LIMIT) + "… (" + expression.length() + " characters)";
    StringBuilder s =
        new StringBuilder("expected ")
            .append(expected)
            .append(" at position ")
            .append(position)
            .append(" in: ")
            .append(echo);
    if (!found.isEmpty()) {
      s.append(" (found ").append(found).append(')');
    }
    if (!hint.isEmpty()) {
      s.append("; ").append(hint);
    }
    return s.toString();
  }
}
