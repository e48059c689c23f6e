package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.MessageTooLargeException;
import io.jqueue.OverflowPolicy;
import io.jqueue.PublishTimeoutException;
import io.jqueue.QueueFullException;
import io.jqueue.ValidationException;
import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every publish to RabbitMQ goes through here — applications' messages, retries, dead-letter moves,
 * redrives — and returns only once RabbitMQ confirmed it ({@link PipelinedSender} writes through it
 * too, and follows the same {@link PublishAttempts} rules). Nothing waits past its deadline: not a
 * blocked connection, not a busy pool, not a missing confirm. Deadlines are real time, never the
 * broker's clock: they bound waits on the wire, which a manual clock must not stretch or cut short.
 */
final class Sender {
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
    send(
        new AmqpPublish(exchange, routingKey, queue, props, body, overflow, mandatory, null),
        deadline);
  }

  /**
   * Publishes {@code p} and waits for the confirm; throws as {@link #send(String, String, String,
   * AMQP.BasicProperties, byte[], Instant, OverflowPolicy, boolean) send} does.
   */
  void send(AmqpPublish p, Instant deadline) {
    PublishAttempts attempts = new PublishAttempts(p, deadline, config.endpoint(), false);
    while (true) {
      PublishChannel.Outcome outcome;
      try {
        connection.awaitUnblocked(deadline);
        outcome = publishOnce(p, deadline);
      } catch (PublishTimeoutException e) {
        throw attempts.timedOut(e);
      }
      Duration wait = attempts.after(outcome);
      if (wait == null) {
        return;
      }
      attempts.pause(wait);
    }
  }

  /**
   * Returns once RabbitMQ does not block the publishing connection; throws {@link
   * PublishTimeoutException} when it still does at {@code deadline}.
   */
  void awaitUnblocked(Instant deadline) {
    connection.awaitUnblocked(deadline);
  }

  private PublishChannel.Outcome publishOnce(AmqpPublish p, Instant deadline) {
    PublishChannel.Pending pending = write(p, deadline, false);
    if (pending == null) {
      return PublishChannel.Outcome.CHANNEL_CLOSED;
    }
    try {
      return pending.outcome.get(
          Saturating.nanosUntil(Instant.now(), deadline), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new PublishTimeoutException(
          "RabbitMQ did not confirm message "
              + p.props().getMessageId()
              + " before the deadline; it may or may not have been enqueued: publish it again"
              + " (consumers must be idempotent)",
          Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishTimeoutException(
          "interrupted while waiting for the confirm of message " + p.props().getMessageId(),
          Duration.ZERO,
          e);
    } catch (ExecutionException e) {
      throw new BrokerUnavailableException("publish failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Writes {@code p} on a channel of the pool, returned to the pool right after the write, and
   * returns its pending confirm; {@code null} when no channel is open now (the connection is down
   * or recovering; nothing was sent). Waits, never past {@code deadline}, for a channel and for
   * room in its confirm window. {@code inOrder}: on the channel this thread wrote on last, so that
   * messages it writes without awaiting their confirms reach a queue in the order written.
   *
   * @throws MessageTooLargeException or {@link ValidationException} when RabbitMQ cannot carry it
   * @throws PublishTimeoutException when no channel or no room came by the deadline
   */
  PublishChannel.Pending write(AmqpPublish p, Instant deadline, boolean inOrder) {
    try {
      PublishChannel ch;
      try {
        Duration wait = min(config.channelCheckoutTimeout(), remaining(deadline));
        ch = inOrder ? pool.checkoutInOrder(wait) : pool.checkout(wait);
      } catch (BrokerUnavailableException e) {
        return null; // no channel while the connection recovers
      }
      try {
        return ch.publish(
            p.exchange(), p.routingKey(), p.mandatory(), p.props(), p.body(), deadline);
      } finally {
        pool.release(ch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishTimeoutException(
          "interrupted while publishing message " + p.props().getMessageId(), Duration.ZERO, e);
    } catch (PublishChannel.UnencodableException e) {
      String text =
          "RabbitMQ cannot carry message "
              + abbreviate(p.props().getMessageId())
              + " for queue '"
              + p.destination()
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
              + p.props().getMessageId()
              + " was not sent",
          Duration.ZERO);
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
