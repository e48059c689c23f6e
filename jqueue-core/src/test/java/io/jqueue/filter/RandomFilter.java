package io.jqueue.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * A randomly generated filter expression tree that evaluates itself and renders itself as text,
 * with random whitespace and redundant parentheses. It shares no code with the parser, so it is an
 * independent reference for what an expression means.
 */
abstract class RandomFilter {
  static final String[] KEYS = {"type", "region", "ce-type", "my key", "q\"k", "AND", "_9"};
  static final String[] VALUES = {"", "e", "em", "email", "emailx", "a\"b", "back\\slash", "eu-w"};

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  private static final String[] SPACES = {"", " ", "  ", "\t", "\n", " \r\n "};

  /** The reference meaning: what the expression should answer on these headers. */
  abstract boolean eval(Map<String, String> headers);

  /** OR 1, AND 2, NOT 3, a condition 4: a child with a lower precedence needs parentheses. */
  abstract int precedence();

  abstract void render(Random random, List<String> tokens);

  /** A random tree no deeper than {@code depth} levels. */
  static RandomFilter generate(Random random, int depth) {
    if (depth <= 1 || random.nextInt(10) < 3) {
      String key = pick(random, KEYS);
      String value = pick(random, VALUES);
      return switch (random.nextInt(4)) {
        case 0 -> new Compare(key, value, false);
        case 1 -> new Compare(key, value, true);
        case 2 -> new Present(key);
        default -> new Prefix(key, value);
      };
    }
    if (random.nextInt(4) == 0) {
      return new Not(generate(random, depth - 1), random.nextBoolean());
    }
    List<RandomFilter> operands = new ArrayList<>();
    for (int i = 2 + random.nextInt(2); i > 0; i--) {
      operands.add(generate(random, depth - 1));
    }
    return new Junction(operands, random.nextBoolean());
  }

  /** Headers holding each key with probability one half, with a random value. */
  static Map<String, String> headers(Random random) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (String key : KEYS) {
      if (random.nextBoolean()) {
        headers.put(key, pick(random, VALUES));
      }
    }
    return headers;
  }

  /** The expression as text: tokens joined by random whitespace where whitespace is optional. */
  String text(Random random) {
    List<String> tokens = new ArrayList<>();
    renderIn(random, tokens, 0);
    StringBuilder text = new StringBuilder(pick(random, SPACES));
    String previous = "";
    for (String token : tokens) {
      String space = pick(random, SPACES);
      if (space.isEmpty() && nameLike(previous) && startsName(token)) {
        space = " ";
      }
      text.append(space).append(token);
      previous = token;
    }
    return text.append(pick(random, SPACES)).toString();
  }

  void renderIn(Random random, List<String> tokens, int minPrecedence) {
    boolean parens = precedence() < minPrecedence || random.nextInt(8) == 0;
    if (parens) {
      tokens.add("(");
    }
    render(random, tokens);
    if (parens) {
      tokens.add(")");
    }
  }

  static void key(Random random, List<String> tokens, String key) {
    tokens.add(NAME.matcher(key).matches() && random.nextBoolean() ? key : quote(key));
  }

  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static boolean nameLike(String token) {
    return !token.isEmpty() && NAME.matcher(token).matches();
  }

  private static boolean startsName(String token) {
    char c = token.charAt(0);
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }

  private static String pick(Random random, String[] options) {
    return options[random.nextInt(options.length)];
  }

  /** {@code attributes.k = "v"} or {@code attributes.k != "v"}. */
  static final class Compare extends RandomFilter {
    private final String key;
    private final String value;
    private final boolean negated;

    Compare(String key, String value, boolean negated) {
      this.key = key;
      this.value = value;
      this.negated = negated;
    }

    @Override
    boolean eval(Map<String, String> headers) {
      boolean equal = headers.containsKey(key) && headers.get(key).equals(value);
      return negated ? !equal : equal;
    }

    @Override
    int precedence() {
      return 4;
    }

    @Override
    void render(Random random, List<String> tokens) {
      tokens.add("attributes");
      tokens.add(".");
      key(random, tokens, key);
      tokens.add(negated ? "!=" : "=");
      tokens.add(quote(value));
    }
  }

  /** {@code attributes:k}. */
  static final class Present extends RandomFilter {
    private final String key;

    Present(String key) {
      this.key = key;
    }

    @Override
    boolean eval(Map<String, String> headers) {
      return headers.containsKey(key);
    }

    @Override
    int precedence() {
      return 4;
    }

    @Override
    void render(Random random, List<String> tokens) {
      tokens.add("attributes");
      tokens.add(":");
      key(random, tokens, key);
    }
  }

  /** {@code hasPrefix(attributes.k, "p")}. */
  static final class Prefix extends RandomFilter {
    private final String key;
    private final String prefix;

    Prefix(String key, String prefix) {
      this.key = key;
      this.prefix = prefix;
    }

    @Override
    boolean eval(Map<String, String> headers) {
      String value = headers.get(key);
      return value != null && value.regionMatches(0, prefix, 0, prefix.length());
    }

    @Override
    int precedence() {
      return 4;
    }

    @Override
    void render(Random random, List<String> tokens) {
      tokens.addAll(List.of("hasPrefix", "(", "attributes", "."));
      key(random, tokens, key);
      tokens.add(",");
      tokens.add(quote(prefix));
      tokens.add(")");
    }
  }

  /** {@code NOT x} or {@code -x}. */
  static final class Not extends RandomFilter {
    private final RandomFilter operand;
    private final boolean minus;

    Not(RandomFilter operand, boolean minus) {
      this.operand = operand;
      this.minus = minus;
    }

    @Override
    boolean eval(Map<String, String> headers) {
      return !operand.eval(headers);
    }

    @Override
    int precedence() {
      return 3;
    }

    @Override
    void render(Random random, List<String> tokens) {
      tokens.add(minus ? "-" : "NOT");
      operand.renderIn(random, tokens, 3);
    }
  }

  /** {@code a AND b ...} or {@code a OR b ...}. */
  static final class Junction extends RandomFilter {
    private final List<RandomFilter> operands;
    private final boolean and;

    Junction(List<RandomFilter> operands, boolean and) {
      this.operands = operands;
      this.and = and;
    }

    @Override
    boolean eval(Map<String, String> headers) {
      boolean result = and;
      for (RandomFilter operand : operands) {
        result = and ? result & operand.eval(headers) : result | operand.eval(headers);
      }
      return result;
    }

    @Override
    int precedence() {
      return and ? 2 : 1;
    }

    @Override
    void render(Random random, List<String> tokens) {
      for (int i = 0; i < operands.size(); i++) {
        if (i > 0) {
          tokens.add(and ? "AND" : "OR");
        }
        operands.get(i).renderIn(random, tokens, precedence());
      }
    }
  }
}
