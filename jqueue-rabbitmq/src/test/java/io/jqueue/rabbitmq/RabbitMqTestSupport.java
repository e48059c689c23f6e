package io.jqueue.rabbitmq;

import java.time.Duration;

/** Where the tests find RabbitMQ: {@code JQUEUE_RABBITMQ_URI}, else guest on 127.0.0.1:5672. */
final class RabbitMqTestSupport {
  static final String URI =
      System.getenv().getOrDefault("JQUEUE_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672");

  private RabbitMqTestSupport() {}

  static RabbitMqConfig.Builder config() {
    return RabbitMqConfig.builder()
        .uri(URI)
        .connectionName("jqueue-test")
        .statsReportInterval(Duration.ZERO)
        .recoveryInterval(Duration.ofMillis(500));
  }
}
