package io.jqueue.rabbitmq;

import io.jqueue.Message;
import io.jqueue.OverflowPolicy;
import io.jqueue.PublishReceipt;
import io.jqueue.ValidationException;
import io.jqueue.time.TimeSource;
import java.time.Instant;
import java.util.function.Function;

/**
 * Where an application's message goes on RabbitMQ and what it carries there. A queue's message goes
 * to the configured exchange with the queue (or, ordered, its partition) as routing key, mandatory
 * as configured; a topic's message goes to the topic's exchange with its action as routing key, not
 * mandatory: a topic without a matching subscription still takes it (SPEC §5).
 */
final class Routing {
  private final RabbitMqConfig config;
  private final RabbitTopics topics;
  private final Function<String, QueueRuntime> queues;
  private final TimeSource clock;

  /** Routes by {@code config}, {@code topics} and the declared {@code queues} (null: unknown). */
  Routing(
      RabbitMqConfig config,
      RabbitTopics topics,
      Function<String, QueueRuntime> queues,
      TimeSource clock) {
    this.config = config;
    this.topics = topics;
    this.queues = queues;
    this.clock = clock;
  }

  /**
   * The publish of {@code message} for publisher {@code publisherId}.
   *
   * @throws ValidationException for one of jqueue's own queues or a dead-letter queue
   */
  AmqpPublish route(Message message, String publisherId) {
    String topic = message.topic();
    Instant now = clock.now(); // a message's TTL counts on the clock, as its lease does
    if (topics.isTopic(topic)) {
      return new AmqpPublish(
          topic,
          message.action() == null ? "" : message.action(),
          topic,
          WireFormat.properties(message, 0, publisherId, now),
          message.payload(),
          OverflowPolicy.REJECT,
          false,
          null);
    }
    QueueRuntime rt = queues.apply(topic);
    if (Topology.INTERNAL.matcher(topic).find()) {
      throw new ValidationException(
          "'" + topic + "' names one of jqueue's own RabbitMQ queues; publish to the queue itself");
    }
    if (rt != null && rt.deadLetterQueue) {
      throw new ValidationException(
          "'"
              + topic
              + "' is a dead-letter queue: jqueue moves failed messages there itself;"
              + " publish to its parent queue instead");
    }
    return new AmqpPublish(
        config.exchange(),
        rt != null ? rt.routingKey(message) : topic,
        topic,
        WireFormat.properties(message, 0, publisherId, now),
        message.payload(),
        rt != null ? rt.spec.overflow() : OverflowPolicy.REJECT,
        config.mandatory(),
        rt);
  }

  /** The receipt of {@code message}, whose {@code publish} RabbitMQ confirmed; counts it. */
  PublishReceipt accepted(Message message, AmqpPublish publish) {
    if (publish.queue() != null) {
      publish.queue().published.increment();
    }
    return new PublishReceipt(message.id(), message.topic(), clock.now());
  }
}
