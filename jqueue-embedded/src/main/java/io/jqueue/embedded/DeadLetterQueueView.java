package io.jqueue.embedded;

import io.jqueue.DeadLetter;
import io.jqueue.DeadLetters;
import io.jqueue.ValidationException;
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
    if (max < 0) {
      throw new ValidationException("peek count must not be negative, got " + max);
    }
    return parent.deadLetters.peekReady(max).stream().map(DeadLetter::of).toList();
  }

  @Override
  public long redrive() {
    return redrive(Long.MAX_VALUE);
  }

  @Override
  public long redrive(long max) {
    if (max < 0) {
      throw new ValidationException("redrive count must not be negative, got " + max);
    }
    return parent.redrive(max);
  }

  @Override
  public long purge() {
    return parent.deadLetters.purgeReady();
  }
}
