package io.jqueue.filter;

import io.jqueue.filter.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser for the filter grammar, with {@code NOT} binding tighter than {@code
 * AND}, and {@code AND} tighter than {@code OR}:
 *
 * <pre>
 * filter    := or END
 * or        := and ("OR" and)*
 * and       := unary ("AND" unary)*
 * unary     := ("NOT" | "-") unary | primary
 * primary   := "(" or ")" | condition
 * condition := "attributes" "." key ("=" | "!=") STRING
 *            | "attributes" ":" key
 *            | "hasPrefix" "(" "attributes" "." key "," STRING ")"
 * key       := NAME | STRING
 * </pre>
 *
 * <p>Only parentheses and negations recurse, and each counts towards {@link #MAX_DEPTH}, so hostile
 * input cannot overflow the stack; {@code AND} and {@code OR} chains are loops.
 */
final class FilterParser {
  private static final int MAX_LENGTH = MessageFilter.MAX_LENGTH;
  private static final int MAX_DEPTH = MessageFilter.MAX_DEPTH;

  private static final String CONDITION_FORMS =
      "a condition is attributes.KEY = \"value\", attributes.KEY != \"value\", attributes:KEY or"
          + " hasPrefix(attributes.KEY, \"prefix\")";

  private static final String[] KEYWORDS = {"AND", "OR", "NOT"};

  private final String source;
  private final FilterLexer lexer;
  private Token token;
  private int depth;

  private FilterParser(String source) {
    this.source = source;
    this.lexer = new FilterLexer(source);
    this.token = lexer.next();
  }

  /** Parses {@code source} into a tree; throws {@link FilterSyntaxException} if it is invalid. */
  static FilterNode parse(String source) {
    if (source.length() > MAX_LENGTH) {
      throw new FilterSyntaxException(
          source,
          MAX_LENGTH,
          "at most " + MAX_LENGTH + " characters",
          source.length() + " characters",
          "shorten the filter, or filter in process with MessageFilter.of(predicate)");
    }
    if (source.isBlank()) {
      throw new FilterSyntaxException(
          source,
          source.length(),
          "a condition",
          "end of expression",
          "the filter is empty; to pass every message declare no filter or use MessageFilter.all()");
    }
    FilterParser parser = new FilterParser(source);
    FilterNode root = parser.or();
    if (parser.token.kind() != Kind.END) {
      throw parser.error("AND, OR or end of expression", keywordCaseHint(parser.token));
    }
    return root;
  }

  private FilterNode or() {
    FilterNode first = and();
    if (!token.isKeyword("OR")) {
      return first;
    }
    List<FilterNode> operands = new ArrayList<>();
    operands.add(first);
    while (token.isKeyword("OR")) {
      advance();
      operands.add(and());
    }
    return new FilterNode.AnyOf(operands.toArray(FilterNode[]::new));
  }

  private FilterNode and() {
    FilterNode first = unary();
    if (!token.isKeyword("AND")) {
      return first;
    }
    List<FilterNode> operands = new ArrayList<>();
    operands.add(first);
    while (token.isKeyword("AND")) {
      advance();
      operands.add(unary());
    }
    return new FilterNode.AllOf(operands.toArray(FilterNode[]::new));
  }

  private FilterNode unary() {
    if (token.isKeyword("NOT") || token.kind() == Kind.MINUS) {
      enter();
      advance();
      FilterNode operand = unary();
      depth--;
      return new FilterNode.Not(operand);
    }
    return primary();
  }

  private FilterNode primary() {
    if (token.kind() == Kind.OPEN) {
      enter();
      advance();
      FilterNode inner = or();
      if (token.kind() != Kind.CLOSE) {
        throw error("AND, OR or ')'", keywordCaseHint(token));
      }
      advance();
      depth--;
      return inner;
    }
    if (token.isKeyword("attributes")) {
      advance();
      return attributeCondition();
    }
    if (token.isKeyword("hasPrefix")) {
      advance();
      return hasPrefix();
    }
    if (token.kind() == Kind.NAME && keywordCaseHint(token).isEmpty()) {
      if (followedByOpen(token)) {
        throw error(
            "a condition",
            "unknown function '" + token.value() + "'",
            "the only function is hasPrefix(attributes.KEY, \"prefix\")");
      }
      throw error("a condition", CONDITION_FORMS);
    }
    String hint = keywordCaseHint(token);
    throw error("a condition", hint.isEmpty() ? CONDITION_FORMS : hint);
  }

  private FilterNode attributeCondition() {
    if (token.kind() == Kind.COLON) {
      advance();
      return new FilterNode.Present(key());
    }
    if (token.kind() != Kind.DOT) {
      throw error("'.' or ':' after attributes", CONDITION_FORMS);
    }
    advance();
    String key = key();
    Kind operator = token.kind();
    if (operator != Kind.EQUALS && operator != Kind.NOT_EQUALS) {
      throw error("'=' or '!='", "to test only that a header is present, write attributes:KEY");
    }
    advance();
    String value = string();
    return operator == Kind.EQUALS
        ? new FilterNode.Equals(key, value)
        : new FilterNode.NotEquals(key, value);
  }

  private FilterNode hasPrefix() {
    expect(Kind.OPEN, "'(' after hasPrefix");
    if (!token.isKeyword("attributes")) {
      throw error("attributes.KEY", "write hasPrefix(attributes.KEY, \"prefix\")");
    }
    advance();
    expect(Kind.DOT, "'.' after attributes");
    String key = key();
    expect(Kind.COMMA, "','");
    String prefix = string();
    expect(Kind.CLOSE, "')'");
    return new FilterNode.HasPrefix(key, prefix);
  }

  private String key() {
    if (token.kind() != Kind.NAME && token.kind() != Kind.STRING) {
      throw error(
          "an attribute key",
          "a key is a name such as type, or a string literal such as \"my key\"");
    }
    String key = token.value();
    advance();
    return key;
  }

  private String string() {
    if (token.kind() != Kind.STRING) {
      String hint =
          token.kind() == Kind.EQUALS
              ? "the operators are = and !=, not =="
              : "write the value in double quotes, for example \"email\"";
      throw error("a string literal", hint);
    }
    String value = token.value();
    advance();
    return value;
  }

  private void expect(Kind kind, String expected) {
    if (token.kind() != kind) {
      throw error(expected, "");
    }
    advance();
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error(
          "at most " + MAX_DEPTH + " levels of nesting (parentheses and NOT)",
          "simplify the filter, for example NOT NOT x is x");
    }
  }

  private void advance() {
    token = lexer.next();
  }

  private FilterSyntaxException error(String expected, String hint) {
    return error(expected, found(token), hint);
  }

  private FilterSyntaxException error(String expected, String found, String hint) {
    return new FilterSyntaxException(source, token.start(), expected, found, hint);
  }

  /** Whether the next character after {@code t}, whitespace aside, is an opening parenthesis. */
  private boolean followedByOpen(Token t) {
    int i = t.end();
    while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
      i++;
    }
    return i < source.length() && source.charAt(i) == '(';
  }

  private String found(Token t) {
    if (t.kind() == Kind.END) {
      return "end of expression";
    }
    String text = source.substring(t.start(), t.end());
    return text.length() <= 40 ? "'" + text + "'" : "'" + text.substring(0, 40) + "…'";
  }

  /** A hint when {@code t} is a keyword spelt in the wrong case, such as {@code and}. */
  private static String keywordCaseHint(Token t) {
    for (String keyword : KEYWORDS) {
      if (t.kind() == Kind.NAME
          && !t.value().equals(keyword)
          && t.value().equalsIgnoreCase(keyword)) {
        return "keywords are upper-case: write " + keyword;
      }
    }
    return "";
  }
}
