package io.jqueue.embedded;

import io.jqueue.DeadLetter;
import io.jqueue.DeadLetters;
import io.jqueue.internal.Checks;
import java.util.List;

/** {@link DeadLetters} of one embedded queue. */
final class DeadLetterQueueView implements DeadLetters {
  private final EmbeddedQueue parent;

  DeadLetterQueueView(EmbeddedQueue parent) {
    this.parent = parent;
  }

  @Override
  public String queue() {
    return parent.deadLetters.name();
  }

  @Override
  public String parentQueue() {
    return parent.name();
  }

  @Override
  public long count() {
    return parent.deadLetters.size();
  }

  @Override
  public List<DeadLetter> peek(int max) {
    Checks.count(max, "peek");
    return parent.deadLetters.deadLettering.peekReady(max).stream().map(DeadLetter::of).toList();
  }

  @Override
  public long redrive(long max) {
    Checks.count(max, "redrive");
    return parent.deadLettering.redrive(max);
  }

  @Override
  public long purge() {
    return parent.deadLetters.deadLettering.purgeReady();
  }
}
