package io.jqueue.rabbitmq;

import io.jqueue.ConfigurationException;
import io.jqueue.ValidationException;
import io.jqueue.internal.Names;
import java.util.Objects;

/** The checks {@link RabbitMqConfig.Builder} runs on its arguments. */
final class ConfigChecks {
  private ConfigChecks() {}

  /** {@code value}, when it is within {@code min}..{@code max}; else a ValidationException. */
  static int within(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new ValidationException(name + " must be " + min + "-" + max + ", got " + value);
    }
    return value;
  }

  /**
   * {@code exchange}, when it is {@code ""} (the default exchange) or a name jqueue may declare.
   */
  static String exchange(String exchange) {
    Objects.requireNonNull(exchange, "exchange");
    if (!exchange.isEmpty()) {
      Names.requireValid(exchange, "exchange");
      if (exchange.startsWith("amq.")) {
        throw new ConfigurationException(
            "exchange names starting with 'amq.' are reserved by RabbitMQ; choose another name");
      }
    }
    return exchange;
  }
}
