package io.jqueue.cli;

import io.jqueue.Broker;
import io.jqueue.ConfigurationException;
import io.jqueue.embedded.EmbeddedBroker;
import io.jqueue.embedded.EmbeddedConfig;
import io.jqueue.rabbitmq.RabbitMqBroker;
import io.jqueue.rabbitmq.RabbitMqConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code --broker} option shared by the demos: the embedded broker, or a RabbitMQ URI. */
final class BrokerChoice {
  @Option(
      names = "--broker",
      defaultValue = "embedded",
      paramLabel = "embedded|amqp://user:pass@host:port",
      description = "Where to run: the embedded broker (default) or RabbitMQ at this URI.")
  String broker;

  boolean isRabbitMq() {
    return broker.startsWith("amqp://") || broker.startsWith("amqps://");
  }

  /**
   * Checks the value, a RabbitMQ URI down to each of its parts; returns a one-line error text with
   * any password masked, or null when it is usable.
   */
  String problem() {
    if (broker.equals("embedded")) {
      return null;
    }
    if (!isRabbitMq()) {
      return "--broker must be 'embedded' or an amqp:// or amqps:// URI, got '"
          + RabbitMqConfig.redact(broker)
          + "'";
    }
    try {
      RabbitMqConfig.of(broker);
      return null;
    } catch (ConfigurationException e) {
      return "--broker: " + e.getMessage();
    }
  }

  /**
   * Queue names get a prefix on RabbitMQ, so a demo never touches an application's own {@code
   * orders} queue.
   */
  String queuePrefix() {
    return isRabbitMq() ? "jqueue-demo-" : "";
  }

  String describe() {
    if (!isRabbitMq()) {
      return "the embedded broker";
    }
    RabbitMqConfig config = RabbitMqConfig.of(broker); // checked by problem()
    return "RabbitMQ at " + config.host() + ":" + config.port();
  }

  Broker open(String name) {
    if (isRabbitMq()) {
      return RabbitMqBroker.connect(
          RabbitMqConfig.builder()
              .uri(broker)
              .connectionName("jqueue-" + name)
              .statsReportInterval(Duration.ZERO)
              .build());
    }
    return EmbeddedBroker.create(
        EmbeddedConfig.builder().name(name).statsReportInterval(Duration.ZERO).build());
  }

  /** A demo's work on its queue; true when it went as it should. */
  @FunctionalInterface
  interface QueueDemo {
    boolean run(Broker broker, String queue) throws InterruptedException;
  }

  /**
   * Runs {@code demo} on queue {@code name} (prefixed on RabbitMQ) of a broker opened for it, with
   * the queue deleted before (nothing left from an earlier run) and after; returns the exit code.
   */
  int runOnFreshQueue(String brokerName, String name, QueueDemo demo) throws InterruptedException {
    String queue = queuePrefix() + name;
    try (Broker broker = open(brokerName)) {
      broker.deleteQueue(queue);
      try {
        return demo.run(broker, queue) ? 0 : 1;
      } finally {
        broker.deleteQueue(queue);
      }
    }
  }
}
