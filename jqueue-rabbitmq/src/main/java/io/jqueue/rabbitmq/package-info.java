/**
 * jqueue on RabbitMQ: {@link io.jqueue.rabbitmq.RabbitMqBroker} and {@link
 * io.jqueue.rabbitmq.RabbitMqConfig}. The mapping of queues, retries, dead-lettering and the wire
 * format is documented in docs/rabbitmq.md.
 */
package io.jqueue.rabbitmq;
