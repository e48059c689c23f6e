package io.jqueue.filter;

import java.util.Map;

/**
 * A parsed filter expression: a tree evaluated against a message's headers. Evaluation allocates
 * nothing, never throws, and its recursion is bounded by the parser's nesting limit because {@code
 * AND} and {@code OR} chains are flat arrays rather than nested pairs.
 */
sealed interface FilterNode {

  /** Whether headers satisfy this node. */
  boolean eval(Map<String, String> headers);

  /** {@code attributes.KEY = "value"}: the header exists and equals the value. */
  record Equals(String key, String value) implements FilterNode {
    @Override
    public boolean eval(Map<String, String> headers) {
      return value.equals(headers.get(key));
    }
  }

  /** {@code attributes.KEY != "value"}: the header is missing or differs, as on Pub/Sub. */
  record NotEquals(String key, String value) implements FilterNode {
    @Override
    public boolean eval(Map<String, String> headers) {
      return !value.equals(headers.get(key));
    }
  }

  /** {@code attributes:KEY}: the header exists, whatever its value. */
  record Present(String key) implements FilterNode {
    @Override
    public boolean eval(Map<String, String> headers) {
      return headers.containsKey(key);
    }
  }

  /** {@code hasPrefix(attributes.KEY, "prefix")}: the header exists and starts with the prefix. */
  record HasPrefix(String key, String prefix) implements FilterNode {
    @Override
    public boolean eval(Map<String, String> headers) {
      String actual = headers.get(key);
      return actual != null && actual.startsWith(prefix);
    }
  }

  /** {@code NOT operand} or {@code -operand}. */
  record Not(FilterNode operand) implements FilterNode {
    @Override
    public boolean eval(Map<String, String> headers) {
      return !operand.eval(headers);
    }
  }

  /** {@code a AND b AND ...}: every operand holds; stops at the first that does not. */
  final class AllOf implements FilterNode {
    private final FilterNode[] operands;

    AllOf(FilterNode[] operands) {
      this.operands = operands;
    }

    @Override
    public boolean eval(Map<String, String> headers) {
      for (FilterNode operand : operands) {
        if (!operand.eval(headers)) {
          return false;
        }
      }
      return true;
    }
  }

  /** {@code a OR b OR ...}: some operand holds; stops at the first that does. */
  final class AnyOf implements FilterNode {
    private final FilterNode[] operands;

    AnyOf(FilterNode[] operands) {
      this.operands = operands;
    }

    @Override
    public boolean eval(Map<String, String> headers) {
      for (FilterNode operand : operands) {
        if (operand.eval(headers)) {
          return true;
        }
      }
      return false;
    }
  }
}
