package io.jqueue.cli;

import io.jqueue.Broker;
import io.jqueue.embedded.EmbeddedBroker;
import io.jqueue.embedded.EmbeddedConfig;
import io.jqueue.rabbitmq.RabbitMqBroker;
import io.jqueue.rabbitmq.RabbitMqConfig;
import java.net.URI;
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

  /** Checks the value; returns an error text, or null when it is usable. */
  String problem() {
    if (broker.equals("embedded") || isRabbitMq()) {
      return null;
    }
    return "--broker must be 'embedded' or an amqp:// or amqps:// URI, got '" + broker + "'";
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
    URI uri = URI.create(broker);
    return "RabbitMQ at " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
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
}
