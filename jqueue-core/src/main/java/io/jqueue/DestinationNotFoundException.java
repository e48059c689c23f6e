package io.jqueue;

/**
 * A message was published to, or a consumer asked for, a queue or topic that was never declared.
 */
public class DestinationNotFoundException extends JQueueException {
  private final String destination;

  /** Creates the error for the missing {@code destination}. */
  public DestinationNotFoundException(String destination) {
    super(
        "destination '"
            + destination
            + "' does not exist; declare it first with broker.declareQueue(QueueSpec.builder(\""
            + destination
            + "\")...)");
    this.destination = destination;
  }

  /** The name that was not found. */
  public String destination() {
    return destination;
  }
}
