package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.jqueue.OverflowPolicy;

/**
 * One message as RabbitMQ gets it: where it goes, what it carries, and the rules of its
 * destination.
 *
 * @param exchange the exchange ({@code ""}: the default exchange, which routes by queue name)
 * @param routingKey the routing key
 * @param destination the jqueue queue or topic it is for, named in errors
 * @param props its AMQP properties
 * @param body its payload
 * @param overflow what a full queue means: {@code BLOCK} keeps trying until the deadline
 * @param mandatory whether RabbitMQ must return it when it routes it nowhere
 * @param queue the runtime of the jqueue queue it is for, counted once it is accepted; null for a
 *     topic and for jqueue's own moves
 */
record AmqpPublish(
    String exchange,
    String routingKey,
    String destination,
    AMQP.BasicProperties props,
    byte[] body,
    OverflowPolicy overflow,
    boolean mandatory,
    QueueRuntime queue) {}
