/** The RabbitMQ broker ({@code io.jqueue.rabbitmq.RabbitMqBroker}), on amqp-client 5. */
module io.jqueue.rabbitmq {
  requires transitive io.jqueue;
  requires com.rabbitmq.client;

  exports io.jqueue.rabbitmq;
}
