package io.jqueue;

import java.util.List;

/**
 * The per-message outcomes of {@link Publisher#publishAll}, in the order the messages were given.
 *
 * @param outcomes one outcome per message
 */
public record BatchResult(List<PublishOutcome> outcomes) {

  /** Copies the outcome list. */
  public BatchResult {
    outcomes = List.copyOf(outcomes);
  }

  /** Whether every message was accepted. */
  public boolean allSucceeded() {
    return outcomes.stream().allMatch(PublishOutcome::succeeded);
  }

  /** The outcomes of messages that were accepted. */
  public List<PublishOutcome> succeeded() {
    return outcomes.stream().filter(PublishOutcome::succeeded).toList();
  }

  /** The outcomes of messages that were not accepted. */
  public List<PublishOutcome> failed() {
    return outcomes.stream().filter(o -> !o.succeeded()).toList();
  }

  /**
   * Throws the first failure, with the other failures attached as suppressed, if any message was
   * not accepted.
   */
  public BatchResult throwIfAnyFailed() {
    List<PublishOutcome> failed = failed();
    if (failed.isEmpty()) {
      return this;
    }
    JQueueException first = failed.get(0).error();
    JQueueException error =
        new JQueueException(
            failed.size() + " of " + outcomes.size() + " messages were not published: " + first,
            first);
    failed.stream().skip(1).forEach(o -> error.addSuppressed(o.error()));
    throw error;
  }
}
