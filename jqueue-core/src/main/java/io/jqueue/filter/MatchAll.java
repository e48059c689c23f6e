package io.jqueue.filter;

import io.jqueue.Message;
import java.util.Objects;

/** The filter every message passes. */
enum MatchAll implements MessageFilter {
  INSTANCE;

  @Override
  public boolean matches(Message message) {
    Objects.requireNonNull(message, "message");
    return true;
  }

  @Override
  public Verdict test(Message message) {
    Objects.requireNonNull(message, "message");
    return Verdict.MATCH;
  }

  @Override
  public String expression() {
    return "";
  }

  @Override
  public String toString() {
    return "MessageFilter.all()";
  }
}
