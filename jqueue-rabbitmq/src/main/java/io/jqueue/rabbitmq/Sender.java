package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.MessageTooLargeException;
import io.jqueue.OverflowPolicy;
import io.jqueue.PublishTimeoutException;
import io.jqueue.QueueFullException;
import io.jqueue.UnroutableException;
import io.jqueue.ValidationException;
import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every publish to RabbitMQ goes through here — applications' messages, retries, dead-letter moves,
 * redrives — and returns only once RabbitMQ confirmed it. Nothing waits past its deadline: not a
 * blocked connection, not a busy pool, not a missing confirm. Deadlines are real time, never the
 * broker's clock: they bound waits on the wire, which a manual clock must not stretch or cut short.
 */
final class Sender {
  private static final Duration RECOVERY_POLL = Duration.ofMillis(50);

  private final ChannelSource pool;
  private final ConnectionState connection;
  private final RabbitMqConfig config;

  Sender(ChannelSource pool, ConnectionState connection, RabbitMqConfig config) {
    this.pool = pool;
    this.connection = connection;
    this.config = config;
  }

  /**
   * Publishes and waits for the confirm.
   *
   * @param queue the jqueue queue the message is for, named in errors
   * @param overflow what a full queue means: {@code BLOCK} keeps trying until the deadline
   * @param mandatory whether RabbitMQ must return what it cannot route (always true for jqueue's
   *     own moves: a copy that went nowhere must never count as sent)
   * @throws QueueFullException when RabbitMQ refused it (nack: the queue is full)
   * @throws DestinationNotFoundException when the default exchange found no such queue
   * @throws UnroutableException when a named exchange routed it nowhere
   * @throws PublishTimeoutException when no confirm came by the deadline
   * @throws BrokerUnavailableException when the connection stayed down until the deadline
   */
  void send(
      String exchange,
      String routingKey,
      String queue,
      AMQP.BasicProperties props,
      byte[] body,
      Instant deadline,
      OverflowPolicy overflow,
      boolean mandatory) {
    long pause = 10;
    QueueFullException full = null; // set once a BLOCK publish found the queue full
    while (true) {
      PublishChannel.Outcome outcome;
      try {
        connection.awaitUnblocked(deadline);
        outcome = publishOnce(queue, exchange, routingKey, mandatory, props, body, deadline);
      } catch (PublishTimeoutException e) {
        if (full == null) {
          throw e;
        }
        throw stayedFull(queue, full);
      }
      switch (outcome) {
        case ACKED:
          return;
        case RETURNED:
          if (exchange.isEmpty()) {
            throw new DestinationNotFoundException(routingKey);
          }
          throw new UnroutableException(
              "exchange '"
                  + exchange
                  + "' routed message "
                  + props.getMessageId()
                  + " (routing key '"
                  + routingKey
                  + "') to no queue; declare the queue, or check the exchange's bindings");
        case NACKED:
          full =
              new QueueFullException(
                  queue,
                  -1,
                  "RabbitMQ refused message "
                      + props.getMessageId()
                      + " for queue '"
                      + queue
                      + "': the queue is full (x-max-length with reject-publish) or could not"
                      + " store it; the message was not enqueued");
          if (overflow != OverflowPolicy.BLOCK) {
            throw full;
          }
          if (sleepUntil(deadline, pause)) {
            pause = Math.min(pause * 2, 200);
            continue;
          }
          throw stayedFull(queue, full);
        default: // CHANNEL_CLOSED: the connection is down or recovering; try again in time
          if (!sleepUntil(deadline, RECOVERY_POLL.toMillis())) {
            throw new BrokerUnavailableException(
                "RabbitMQ connection to "
                    + config.endpoint()
                    + " was down until the publish deadline; message "
                    + props.getMessageId()
                    + " may or may not have been enqueued: publish it again");
          }
      }
    }
  }

  private PublishChannel.Outcome publishOnce(
      String queue,
      String exchange,
      String routingKey,
      boolean mandatory,
      AMQP.BasicProperties props,
      byte[] body,
      Instant deadline) {
    PublishChannel.Pending pending;
    try {
      PublishChannel ch;
      try {
        ch = pool.checkout(min(config.channelCheckoutTimeout(), remaining(deadline)));
      } catch (BrokerUnavailableException e) {
        return PublishChannel.Outcome.CHANNEL_CLOSED; // no channel while the connection recovers
      }
      try {
        pending = ch.publish(exchange, routingKey, mandatory, props, body, deadline);
      } finally {
        pool.release(ch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishTimeoutException(
          "interrupted while publishing message " + props.getMessageId(), Duration.ZERO, e);
    } catch (PublishChannel.UnencodableException e) {
      String text =
          "RabbitMQ cannot carry message "
              + abbreviate(props.getMessageId())
              + " for queue '"
              + queue
              + "': "
              + e.getMessage()
              + "; it was not sent";
      if (e.tooLarge()) {
        throw new MessageTooLargeException(
            text + " (lower MessageLimits.maxHeaderBytes, or move large values into the payload)",
            e.size,
            e.limit,
            null);
      }
      throw new ValidationException(text, e.getCause());
    } catch (PublishChannel.WindowFullException e) {
      throw new PublishTimeoutException(
          "too many unconfirmed publishes on every channel until the deadline (maxOutstandingConfirms="
              + config.maxOutstandingConfirms()
              + "); message "
              + props.getMessageId()
              + " was not sent",
          Duration.ZERO);
    }
    if (pending == null) {
      return PublishChannel.Outcome.CHANNEL_CLOSED;
    }
    try {
      return pending.outcome.get(
          Saturating.nanosUntil(Instant.now(), deadline), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new PublishTimeoutException(
          "RabbitMQ did not confirm message "
              + props.getMessageId()
              + " before the deadline; it may or may not have been enqueued: publish it again"
              + " (consumers must be idempotent)",
          Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishTimeoutException(
          "interrupted while waiting for the confirm of message " + props.getMessageId(),
          Duration.ZERO,
          e);
    } catch (ExecutionException e) {
      throw new BrokerUnavailableException("publish failed: " + e.getCause(), e.getCause());
    }
  }

  private static PublishTimeoutException stayedFull(String queue, QueueFullException full) {
    return new PublishTimeoutException(
        "queue '" + queue + "' stayed full until the publish deadline; not enqueued",
        Duration.ZERO,
        full);
  }

  private static boolean sleepUntil(Instant deadline, long millis) {
    long left = Saturating.millisUntil(Instant.now(), deadline);
    if (left <= 0) {
      return false;
    }
    try {
      Thread.sleep(Math.min(left, millis));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  private static Duration remaining(Instant deadline) {
    return Duration.ofNanos(Saturating.nanosUntil(Instant.now(), deadline)); // never negative
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
