package io.jqueue.filter;

import io.jqueue.Message;

/** A declarative filter: the expression's text and the tree it parsed to. */
final class ParsedFilter implements MessageFilter {
  private final String expression;
  private final FilterNode root;

  ParsedFilter(String expression, FilterNode root) {
    this.expression = expression;
    this.root = root;
  }

  @Override
  public boolean matches(Message message) {
    return root.eval(message.headers());
  }

  @Override
  public Verdict test(Message message) {
    return matches(message) ? Verdict.MATCH : Verdict.NO_MATCH;
  }

  @Override
  public String expression() {
    return expression;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParsedFilter other && other.expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  @Override
  public String toString() {
    return "MessageFilter[" + expression + "]";
  }
}
