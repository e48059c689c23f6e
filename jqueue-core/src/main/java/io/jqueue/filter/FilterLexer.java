package io.jqueue.filter;

import io.jqueue.filter.Token.Kind;

/**
 * Splits a filter expression into tokens on demand, so the first error reported is the leftmost
 * one. Whitespace between tokens is skipped; names are {@code [A-Za-z_][A-Za-z0-9_-]*}; string
 * literals are double-quoted with the escapes {@code \"} and {@code \\}.
 */
final class FilterLexer {
  private final String source;
  private int pos;

  FilterLexer(String source) {
    this.source = source;
  }

  /** The next token, {@link Kind#END} once the input is used up. */
  Token next() {
    while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (pos == source.length()) {
      return new Token(Kind.END, "", start, start);
    }
    char c = source.charAt(pos);
    if (isNameStart(c)) {
      return name(start);
    }
    if (c == '"') {
      return string(start);
    }
    if (c == '!' && pos + 1 < source.length() && source.charAt(pos + 1) == '=') {
      pos += 2;
      return new Token(Kind.NOT_EQUALS, "!=", start, pos);
    }
    pos++;
    return new Token(symbol(c), String.valueOf(c), start, pos);
  }

  private static Kind symbol(char c) {
    return switch (c) {
      case '.' -> Kind.DOT;
      case ':' -> Kind.COLON;
      case '=' -> Kind.EQUALS;
      case '(' -> Kind.OPEN;
      case ')' -> Kind.CLOSE;
      case ',' -> Kind.COMMA;
      case '-' -> Kind.MINUS;
      default -> Kind.INVALID;
    };
  }

  private Token name(int start) {
    pos++;
    while (pos < source.length() && isNamePart(source.charAt(pos))) {
      pos++;
    }
    return new Token(Kind.NAME, source.substring(start, pos), start, pos);
  }

  private Token string(int start) {
    StringBuilder value = new StringBuilder();
    pos++;
    while (pos < source.length()) {
      char c = source.charAt(pos);
      if (c == '"') {
        pos++;
        return new Token(Kind.STRING, value.toString(), start, pos);
      }
      if (c == '\\') {
        char escaped = pos + 1 < source.length() ? source.charAt(pos + 1) : 0;
        if (escaped != '"' && escaped != '\\') {
          throw new FilterSyntaxException(
              source,
              pos,
              "an escape \\\" or \\\\",
              pos + 1 < source.length() ? "'\\" + escaped + "'" : "end of expression",
              "a backslash in a string literal is written \\\\");
        }
        value.append(escaped);
        pos += 2;
      } else {
        value.append(c);
        pos++;
      }
    }
    throw new FilterSyntaxException(
        source,
        pos,
        "'\"' (the end of the string literal started at position " + start + ")",
        "end of expression",
        "a quote inside a string literal is written \\\"");
  }

  private static boolean isNameStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9') || c == '-';
  }
}
