package io.jqueue.cli.bench;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.jqueue.ConfigurationException;
import io.jqueue.rabbitmq.RabbitMqConfig;

/** The {@code --broker} RabbitMQ: checking its URI and whether it answers, never its password. */
final class RabbitTarget {
  static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672";

  private RabbitTarget() {}

  /** Why {@code uri} is unusable (password masked), or null. */
  static String problem(String uri) {
    try {
      RabbitMqConfig.of(uri);
      return null;
    } catch (ConfigurationException e) {
      return "--broker: " + oneLine(e);
    }
  }

  /** Why RabbitMQ at {@code uri} cannot be reached (password masked), or null when it can. */
  static String unreachable(String uri) {
    try (Connection c = factory(uri, "jqueue-bench-check").newConnection()) {
      return null;
    } catch (Exception e) {
      return "RabbitMQ unreachable at " + RabbitMqConfig.redact(uri) + ": " + oneLine(e);
    }
  }

  /** A plain amqp-client connection factory for {@code uri}, for the baselines. */
  static ConnectionFactory factory(String uri, String connectionName) {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(uri);
    } catch (Exception e) {
      throw new ConfigurationException(
          "--broker " + RabbitMqConfig.redact(uri) + " is not usable: " + oneLine(e));
    }
    factory.setConnectionTimeout(5_000);
    factory.setAutomaticRecoveryEnabled(false);
    factory.setClientProperties(
        new java.util.HashMap<>(
            java.util.Map.of("connection_name", (Object) connectionName, "product", "jqueue")));
    return factory;
  }

  /** {@code e}'s message (or class) on one line, with whatever looks like a URI masked. */
  static String oneLine(Throwable e) {
    String text = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    StringBuilder masked = new StringBuilder();
    for (String word : text.replaceAll("\\s*\\R\\s*", " ").strip().split(" ", -1)) {
      masked
          .append(masked.length() > 0 ? " " : "")
          .append(word.contains("://") ? RabbitMqConfig.redact(word) : word);
    }
    return masked.toString();
  }
}
