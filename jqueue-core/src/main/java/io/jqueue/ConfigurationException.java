package io.jqueue;

/** A broker or publisher configuration is invalid or unsupported. */
public class ConfigurationException extends JQueueException {

  /** Creates the error with a message that says what to do next. */
  public ConfigurationException(String message) {
    super(message);
  }

  /** Creates the error with a message and the underlying cause. */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
