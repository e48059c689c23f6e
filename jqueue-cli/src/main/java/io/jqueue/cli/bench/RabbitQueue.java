package io.jqueue.cli.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.jqueue.QueueSpec;
import io.jqueue.rabbitmq.RabbitMqBroker;
import io.jqueue.rabbitmq.RabbitMqConfig;
import java.time.Duration;

/**
 * A RabbitMQ scenario's set-up: a jqueue broker, a durable classic queue it declared under a unique
 * name (deleted on close, or by the shutdown hook), and a plain amqp-client connection for the
 * baselines, which use the same queue.
 */
final class RabbitQueue implements AutoCloseable {
  final RabbitMqConfig config;
  final RabbitMqBroker broker;
  final Connection raw;
  final String queue;
  private final Cleanup.Step delete;

  private RabbitQueue(BenchContext ctx, String what) throws Exception {
    String uri = ctx.settings().brokerUri();
    this.config =
        RabbitMqConfig.builder()
            .uri(uri)
            .connectionName("jqueue-bench")
            .statsReportInterval(Duration.ZERO)
            .build();
    this.queue = Embedded.uniqueName(what);
    this.broker = RabbitMqBroker.connect(config);
    try {
      broker.declareQueue(QueueSpec.builder(queue).build());
      this.delete = ctx.cleanup().add(() -> broker.deleteQueue(queue));
      this.raw = RabbitTarget.factory(uri, "jqueue-bench-baseline").newConnection();
    } catch (Exception e) {
      broker.deleteQueue(queue);
      broker.close();
      throw e;
    }
  }

  static RabbitQueue open(BenchContext ctx, String what) throws Exception {
    return new RabbitQueue(ctx, what);
  }

  /** Empties the queue between rounds. */
  void purge() throws Exception {
    try (Channel ch = raw.createChannel()) {
      ch.queuePurge(queue);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      delete.close();
      raw.close();
    } finally {
      broker.close();
    }
  }
}
