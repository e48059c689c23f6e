package io.jqueue;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a new subscription starts: {@link #LATEST} (only what is published from now on, the
 * default), {@link #EARLIEST} (everything its topic still retains, then what follows) or {@link
 * #at} an instant (what was published at or after it).
 */
public final class StartPosition {
  /** Only messages published after the subscription was declared. */
  public static final StartPosition LATEST = new StartPosition("LATEST", null);

  /** Every message the topic retains, then what follows. */
  public static final StartPosition EARLIEST = new StartPosition("EARLIEST", Instant.MIN);

  private final String name;
  private final Instant from;

  private StartPosition(String name, Instant from) {
    this.name = name;
    this.from = from;
  }

  /** Retained messages published at or after {@code instant}, then what follows. */
  public static StartPosition at(Instant instant) {
    return new StartPosition("AT " + instant, Objects.requireNonNull(instant, "instant"));
  }

  /** The instant replay starts from; empty for {@link #LATEST}. */
  public Optional<Instant> from() {
    return Optional.ofNullable(from);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StartPosition p && name.equals(p.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
