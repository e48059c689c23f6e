package io.jqueue.filter;

import io.jqueue.Message;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides whether a message goes to a subscription: a declarative expression over the message's
 * headers ({@link #parse(String)}), an in-process predicate ({@link #of(Predicate)}), or {@link
 * #all()}. Implementations are immutable and safe to share between threads.
 *
 * <h2>The expression language</h2>
 *
 * <p>The grammar of Google Cloud Pub/Sub subscription filters, where a message's headers are its
 * attributes:
 *
 * <ul>
 *   <li>{@code attributes.KEY = "value"}: the header exists and equals {@code value};
 *   <li>{@code attributes.KEY != "value"}: the header is <em>missing</em> or differs, as on
 *       Pub/Sub, so it is exactly {@code NOT attributes.KEY = "value"};
 *   <li>{@code attributes:KEY}: the header exists, whatever its value;
 *   <li>{@code hasPrefix(attributes.KEY, "prefix")}: the header exists and starts with {@code
 *       prefix} (false when it is missing);
 *   <li>{@code NOT x} (or {@code -x}, as Pub/Sub allows), {@code x AND y}, {@code x OR y} and
 *       parentheses. {@code NOT} binds tightest, then {@code AND}, then {@code OR}: {@code a OR b
 *       AND NOT c} is {@code a OR (b AND (NOT c))}. Pub/Sub asks for parentheses when mixing {@code
 *       AND} and {@code OR}; jqueue accepts both forms.
 * </ul>
 *
 * <p>A {@code KEY} is a name {@code [A-Za-z_][A-Za-z0-9_-]*} or a string literal ({@code
 * attributes."my key"}). String literals are double-quoted; inside them {@code \"} is a quote and
 * {@code \\} a backslash, and no other escape exists. Keywords ({@code AND}, {@code OR}, {@code
 * NOT}) and the words {@code attributes} and {@code hasPrefix} are case-sensitive as on Pub/Sub: a
 * lower-case {@code and} is an error whose message says to write {@code AND}. Whitespace between
 * tokens is insignificant, but keywords need some whitespace (or a parenthesis or quote) to stand
 * apart from the names around them, since a name may contain {@code -}. Keys and values are
 * compared case-sensitively and exactly. An empty expression is an error: {@link #all()} is the
 * filter that passes everything.
 *
 * <p>Expressions come from configuration, so parsing treats them as untrusted: at most {@value
 * #MAX_LENGTH} characters and {@value #MAX_DEPTH} levels of nesting, where each pair of parentheses
 * and each {@code NOT} or {@code -} is a level. A parsed filter evaluates in time bounded by its
 * length, allocates nothing, and never throws.
 */
public interface MessageFilter {
  /** The longest expression {@link #parse(String)} accepts, in characters. */
  int MAX_LENGTH = 4096;

  /** The deepest nesting of parentheses and negations {@link #parse(String)} accepts. */
  int MAX_DEPTH = 32;

  /**
   * Whether {@code message} passes this filter. Never throws for a non-null message: a filter that
   * cannot decide (an {@link #of(Predicate) in-process predicate} that threw) answers {@code
   * false}, so code that must not silently drop such messages calls {@link #test(Message)} instead.
   *
   * @throws NullPointerException if {@code message} is null
   */
  boolean matches(Message message);

  /**
   * Whether {@code message} passes this filter, distinguishing a filter that failed from one that
   * said no. Declarative filters and {@link #all()} never answer {@link Verdict#ERROR}; an {@link
   * #of(Predicate) in-process predicate} that throws does, and the caller decides what happens to
   * the message (a subscription dead-letters it with a reason rather than skipping it, so it is
   * neither lost nor redelivered forever).
   *
   * <p>The default answers from {@link #matches(Message)}, and {@link Verdict#ERROR} if it throws
   * an exception.
   *
   * @throws NullPointerException if {@code message} is null
   */
  default Verdict test(Message message) {
    Objects.requireNonNull(message, "message");
    try {
      return matches(message) ? Verdict.MATCH : Verdict.NO_MATCH;
    } catch (Exception e) {
      return Verdict.ERROR;
    }
  }

  /**
   * The source text of this filter: the expression given to {@link #parse(String)}, {@code ""} for
   * {@link #all()}, and {@code "<predicate>"} for {@link #of(Predicate)}.
   */
  String expression();

  /**
   * Parses a declarative filter; call it once, when the subscription is declared. Two filters
   * parsed from the same text are equal.
   *
   * @throws FilterSyntaxException if {@code expression} is malformed, empty, longer than {@value
   *     #MAX_LENGTH} characters or nested deeper than {@value #MAX_DEPTH} levels; it gives the
   *     position of the error and what was expected there
   * @throws NullPointerException if {@code expression} is null
   */
  static MessageFilter parse(String expression) {
    Objects.requireNonNull(expression, "expression");
    return new ParsedFilter(expression, FilterParser.parse(expression));
  }

  /**
   * An in-process filter: a message passes when {@code predicate} returns true. It works only in
   * the process that declares it. If the predicate throws, {@link #test(Message)} answers {@link
   * Verdict#ERROR} (and {@link #matches(Message)} {@code false}) and the exception is logged at
   * WARN; an {@link Error} such as {@link OutOfMemoryError} is not caught.
   */
  static MessageFilter of(Predicate<Message> predicate) {
    return new PredicateFilter(Objects.requireNonNull(predicate, "predicate"));
  }

  /** The filter every message passes; the filter of a subscription declared without one. */
  static MessageFilter all() {
    return MatchAll.INSTANCE;
  }

  /** What {@link #test(Message)} decided about a message. */
  enum Verdict {
    /** The message passes the filter. */
    MATCH,
    /** The message does not pass the filter. */
    NO_MATCH,
    /** The filter failed on this message; the caller decides, for example by dead-lettering it. */
    ERROR
  }
}
