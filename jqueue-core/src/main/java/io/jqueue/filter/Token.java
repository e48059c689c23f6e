package io.jqueue.filter;

/**
 * One token of a filter expression: its kind, its value (a name, or a string literal with escapes
 * resolved) and where it sits in the source.
 */
record Token(Kind kind, String value, int start, int end) {

  enum Kind {
    NAME,
    STRING,
    DOT,
    COLON,
    EQUALS,
    NOT_EQUALS,
    OPEN,
    CLOSE,
    COMMA,
    MINUS,
    /** A character no token starts with; the parser reports it with what it expected there. */
    INVALID,
    END
  }

  /** Whether this is the upper-case keyword {@code word}. */
  boolean isKeyword(String word) {
    return kind == Kind.NAME && value.equals(word);
  }
}
