package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.DeadLetter;
import io.jqueue.DeadLetterReason;
import io.jqueue.DeadLetters;
import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.OverflowPolicy;
import io.jqueue.QueueFullException;
import io.jqueue.ValidationException;
import io.jqueue.internal.Checks;
import io.jqueue.internal.DeadLetterHeaders;
import io.jqueue.internal.Saturating;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dead-letter operations on {@code q.dlq}. Peek takes messages with {@code basic.get} and closes
 * the channel without acking, which puts them back in place; redrive republishes each to its queue
 * with a confirm before acking it, and stops at the first one the queue refuses (full).
 */
final class RabbitDeadLetters implements DeadLetters {
  private final QueueRuntime parent;
  private final Connection connection;
  private final Admin admin;
  private final Sender sender;
  private final RabbitMqConfig config;

  RabbitDeadLetters(
      QueueRuntime parent,
      Connection connection,
      Admin admin,
      Sender sender,
      RabbitMqConfig config) {
    this.parent = parent;
    this.connection = connection;
    this.admin = admin;
    this.sender = sender;
    this.config = config;
  }

  @Override
  public String queue() {
    return Topology.deadLetterQueue(parent.name);
  }

  @Override
  public String parentQueue() {
    return parent.name;
  }

  @Override
  public long count() {
    return admin.messageCount(queue());
  }

  @Override
  public List<DeadLetter> peek(int max) {
    Checks.count(max, "peek");
    List<DeadLetter> out = new ArrayList<>();
    try (Channel ch = connection.createChannel()) {
      for (int i = 0; i < max; i++) {
        GetResponse r = ch.basicGet(queue(), false);
        if (r == null) {
          break;
        }
        out.add(deadLetterOf(WireFormat.toMessage(queue(), r.getProps(), r.getBody())));
      }
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      throw new BrokerUnavailableException("cannot peek at '" + queue() + "': " + e, e);
    }
    return out; // closing the channel returned every message to its place
  }

  /** The dead letter; one another AMQP client put here, without jqueue's facts, as REJECTED. */
  private DeadLetter deadLetterOf(Message m) {
    if (m.header(JQueueHeaders.DLQ_REASON).isPresent()) {
      try {
        return DeadLetter.of(m);
      } catch (ValidationException e) {
        // an unknown reason: described below
      }
    }
    return new DeadLetter(
        m,
        DeadLetterReason.REJECTED,
        "",
        "put into " + queue() + " without jqueue's dead-letter facts",
        0,
        parent.name,
        Optional.empty(),
        Optional.empty());
  }

  @Override
  public long redrive(long max) {
    Checks.count(max, "redrive");
    long budget = Math.min(max, count()); // what is there now: nothing comes round twice
    long moved = 0;
    try (Channel ch = connection.createChannel()) {
      while (moved < budget) {
        GetResponse r = ch.basicGet(queue(), false);
        if (r == null) {
          break;
        }
        long tag = r.getEnvelope().getDeliveryTag();
        // the original properties, without the dead-letter facts, attempts or an expiry that has
        // passed: a redriven message starts afresh
        Map<String, Object> headers = Moves.cleanHeaders(r.getProps());
        DeadLetterHeaders.NAMES.forEach(headers::remove);
        headers.remove(WireFormat.EXPIRES_AT);
        AMQP.BasicProperties props =
            r.getProps().builder().headers(headers).expiration(null).build();
        Message again = WireFormat.toMessage(parent.name, props, r.getBody());
        try {
          sender.send(
              config.exchange(),
              parent.routingKey(again),
              parent.name,
              props,
              r.getBody(),
              Saturating.deadlineAfter(config.operationTimeout()), // real time: a confirm wait
              OverflowPolicy.REJECT,
              true);
        } catch (QueueFullException e) {
          ch.basicNack(tag, false, true);
          break;
        } catch (RuntimeException e) {
          ch.basicNack(tag, false, true);
          throw e;
        }
        ch.basicAck(tag, false);
        moved++;
      }
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      throw new BrokerUnavailableException("cannot redrive '" + queue() + "': " + e, e);
    }
    return moved;
  }

  @Override
  public long purge() {
    return admin.purge(queue());
  }
}
