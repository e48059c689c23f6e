package io.jqueue.embedded;

import io.jqueue.Message;
import io.jqueue.SubscriptionSpec;
import java.util.function.Predicate;

/** A subscription's filter as the embedded broker runs it: a verdict that never throws. */
final class SubscriptionFilter {
  enum Verdict {
    MATCH,
    NO_MATCH,
    ERROR
  }

  private final Predicate<Message> predicate;
  private volatile String lastError = "";

  private SubscriptionFilter(Predicate<Message> predicate) {
    this.predicate = predicate;
  }

  static SubscriptionFilter of(SubscriptionSpec spec) {
    return new SubscriptionFilter(spec.filterPredicate().orElse(m -> true));
  }

  Verdict test(Message m) {
    try {
      return predicate.test(m) ? Verdict.MATCH : Verdict.NO_MATCH;
    } catch (RuntimeException e) {
      lastError = e.toString();
      return Verdict.ERROR;
    }
  }

  String lastError() {
    return lastError;
  }
}
