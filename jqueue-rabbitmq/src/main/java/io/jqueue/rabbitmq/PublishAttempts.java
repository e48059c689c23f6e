package io.jqueue.rabbitmq;

import io.jqueue.BrokerUnavailableException;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.JQueueException;
import io.jqueue.OverflowPolicy;
import io.jqueue.PublishTimeoutException;
import io.jqueue.QueueFullException;
import io.jqueue.UnroutableException;
import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.time.Instant;

/**
 * What follows each attempt of one publish, written once for the synchronous {@link Sender} and the
 * {@link PipelinedSender}: an ack ends it; a return is a {@link DestinationNotFoundException} (the
 * default exchange) or an {@link UnroutableException}; a nack is a {@link QueueFullException}, or
 * for a {@code BLOCK} queue another attempt after a pause (10 ms, doubling up to 200 ms); a closed
 * channel (the connection is down or recovering) another attempt after 50 ms. No attempt starts
 * after the deadline. One publish's attempts follow each other: not for concurrent use.
 */
final class PublishAttempts {
  private static final long RECOVERY_POLL_MILLIS = 50;

  private final AmqpPublish publish;
  private final Instant deadline;
  private final AmqpUri endpoint;
  private boolean pauseWhenClosed;
  private long fullPause = 10;
  private QueueFullException full; // set once a BLOCK publish found the queue full
  private PublishChannel.Outcome last;

  /**
   * The attempts of {@code publish} to {@code endpoint}, until {@code deadline}; {@code handedOn}:
   * the first attempt was a pipelined write whose channel closed a while ago, so the connection may
   * be back already and the next attempt goes at once.
   */
  PublishAttempts(AmqpPublish publish, Instant deadline, AmqpUri endpoint, boolean handedOn) {
    this.publish = publish;
    this.deadline = deadline;
    this.endpoint = endpoint;
    this.pauseWhenClosed = !handedOn;
  }

  /**
   * How long to wait before the next attempt, after one that ended in {@code outcome}; {@code null}
   * when the publish is done (acked).
   *
   * @throws JQueueException the publish's error: it was refused, or no time is left to try again
   */
  Duration after(PublishChannel.Outcome outcome) {
    last = outcome;
    switch (outcome) {
      case ACKED:
        return null;
      case RETURNED:
        throw returned(publish);
      case NACKED:
        full = refused(publish);
        if (publish.overflow() != OverflowPolicy.BLOCK) {
          throw full;
        }
        long pause = fullPause;
        fullPause = Math.min(fullPause * 2, 200);
        return within(pause);
      default: // CHANNEL_CLOSED
        long wait = pauseWhenClosed ? RECOVERY_POLL_MILLIS : 0;
        pauseWhenClosed = true;
        return within(wait);
    }
  }

  private Duration within(long millis) {
    long left = Saturating.millisUntil(Instant.now(), deadline);
    if (left <= 0) {
      throw gaveUp();
    }
    return Duration.ofMillis(Math.min(left, millis));
  }

  /** Waits {@code wait} before the next attempt; an interrupt gives up. */
  void pause(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw gaveUp();
    }
  }

  /** The error of an attempt that timed out ({@code e}): a full queue says so. */
  JQueueException timedOut(PublishTimeoutException e) {
    return full == null ? e : stayedFull();
  }

  /** The error when no further attempt can be made after the last one. */
  private JQueueException gaveUp() {
    if (last == PublishChannel.Outcome.NACKED) {
      return stayedFull();
    }
    return new BrokerUnavailableException(
        "RabbitMQ connection to "
            + endpoint
            + " was down until the publish deadline; message "
            + publish.props().getMessageId()
            + " may or may not have been enqueued: publish it again");
  }

  private PublishTimeoutException stayedFull() {
    return new PublishTimeoutException(
        "queue '"
            + publish.destination()
            + "' stayed full until the publish deadline; not enqueued",
        Duration.ZERO,
        full);
  }

  /** The error of a publish RabbitMQ returned: it routed it nowhere. */
  static JQueueException returned(AmqpPublish p) {
    if (p.exchange().isEmpty()) {
      return new DestinationNotFoundException(p.routingKey());
    }
    return new UnroutableException(
        "exchange '"
            + p.exchange()
            + "' routed message "
            + p.props().getMessageId()
            + " (routing key '"
            + p.routingKey()
            + "') to no queue; declare the queue, or check the exchange's bindings");
  }

  /** The error of a publish RabbitMQ nacked. */
  static QueueFullException refused(AmqpPublish p) {
    return new QueueFullException(
        p.destination(),
        -1,
        "RabbitMQ refused message "
            + p.props().getMessageId()
            + " for queue '"
            + p.destination()
            + "': the queue is full (x-max-length with reject-publish) or could not"
            + " store it; the message was not enqueued");
  }
}
