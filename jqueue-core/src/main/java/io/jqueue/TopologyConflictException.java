package io.jqueue;

/**
 * A queue or topic was declared again with a spec that differs from the existing one. jqueue never
 * changes an existing declaration silently: delete the queue first, or use a new name.
 */
public class TopologyConflictException extends JQueueException {
  private final String name;

  /** Creates the error for {@code name}, with a message that shows both specs. */
  public TopologyConflictException(String name, String message) {
    super(message);
    this.name = name;
  }

  /** The queue or topic name. */
  public String name() {
    return name;
  }
}
