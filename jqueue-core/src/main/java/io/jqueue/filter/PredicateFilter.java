package io.jqueue.filter;

import io.jqueue.Message;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process filter around a {@link Predicate}; a predicate that throws yields {@link
 * MessageFilter.Verdict#ERROR} instead of an exception, so the caller can dead-letter the message.
 */
final class PredicateFilter implements MessageFilter {
  private static final Logger LOG = LoggerFactory.getLogger(PredicateFilter.class);

  private final Predicate<Message> predicate;

  PredicateFilter(Predicate<Message> predicate) {
    this.predicate = predicate;
  }

  @Override
  public boolean matches(Message message) {
    return test(message) == Verdict.MATCH;
  }

  @Override
  public Verdict test(Message message) {
    Objects.requireNonNull(message, "message");
    try {
      return predicate.test(message) ? Verdict.MATCH : Verdict.NO_MATCH;
    } catch (Exception e) {
      LOG.warn("filter predicate {} threw on message {}", predicate, message.id(), e);
      return Verdict.ERROR;
    }
  }

  @Override
  public String expression() {
    return "<predicate>";
  }

  @Override
  public String toString() {
    return "MessageFilter.of(" + predicate + ")";
  }
}
