package io.jqueue;

/** A circuit breaker is open and refused the call without trying it. */
public class CircuitOpenException extends JQueueException {

  /** Creates the error with a message that says what to do next. */
  public CircuitOpenException(String message) {
    super(message);
  }

  /** Creates the error with a message and the underlying cause. */
  public CircuitOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
