package io.jqueue.internal;

import io.jqueue.Message;
import io.jqueue.SubscriptionSpec;
import io.jqueue.filter.MessageFilter;
import java.util.function.Predicate;

/**
 * A subscription's filter as brokers run it: a verdict that never throws, so a filter bug
 * dead-letters the message instead of losing or looping it.
 */
public final class SubscriptionFilter {
  /** What the filter says of one message. */
  public enum Verdict {
    /** Deliver it. */
    MATCH,
    /** Skip it (counted). */
    NO_MATCH,
    /** The filter threw: dead-letter it. */
    ERROR
  }

  private final Predicate<Message> predicate;
  private volatile String lastError = "";

  private SubscriptionFilter(Predicate<Message> predicate) {
    this.predicate = predicate;
  }

  private static Predicate<Message> declarative(MessageFilter filter) {
    return filter::matches; // a parsed filter never throws
  }

  /** The filter {@code spec} declares (everything passes without one). */
  public static SubscriptionFilter of(SubscriptionSpec spec) {
    return new SubscriptionFilter(
        spec.filterPredicate()
            .orElse(spec.filter().map(SubscriptionFilter::declarative).orElse(m -> true)));
  }

  /** The verdict on {@code m}; never throws. */
  public Verdict test(Message m) {
    try {
      return predicate.test(m) ? Verdict.MATCH : Verdict.NO_MATCH;
    } catch (RuntimeException e) {
      lastError = e.toString();
      return Verdict.ERROR;
    }
  }

  /** What the filter threw last, for the dead letter. */
  public String lastError() {
    return lastError;
  }
}
