package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.ConsumerOptions;
import io.jqueue.MessageHandler;
import io.jqueue.internal.HandlerWorkers;
import io.jqueue.internal.Saturating;
import io.jqueue.spi.AbstractSubscription;
import io.jqueue.spi.InternalDelivery;
import io.jqueue.time.TimeSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push consumer of a RabbitMQ-backed queue: one channel with {@code basic.qos(prefetch)} and a
 * consumer on the queue (or, for an ordered queue, one single-active consumer per partition with a
 * prefetch of 1). Handlers run on {@link HandlerWorkers}. The channel recovers with its connection
 * and the consumers resume by themselves.
 */
final class RabbitSubscription extends AbstractSubscription<RabbitDelivery> {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitSubscription.class);
  private static final Duration RELEASE_GRACE = Duration.ofMillis(500);

  private final QueueRuntime queue;
  private final AckChannel channel;
  private final RabbitDelivery.Context context;
  private final List<String> consumerTags = new ArrayList<>();

  RabbitSubscription(
      Connection connection,
      QueueRuntime queue,
      ConsumerOptions options,
      MessageHandler handler,
      Moves moves,
      TimeSource clock,
      ScheduledExecutorService timer,
      Executor work,
      Runnable onClosed) {
    super(queue.name, options, handler, onClosed);
    this.queue = queue;
    try {
      this.channel = new AckChannel(connection.createChannel());
    } catch (IOException e) {
      abandon();
      throw new BrokerUnavailableException("cannot open a consumer channel: " + e, e);
    }
    this.context =
        new RabbitDelivery.Context(
            queue,
            channel,
            options.id(),
            options.codec(),
            moves,
            clock,
            timer,
            work,
            modeOf(queue),
            true,
            this::offer);
  }

  /** How a failed message of {@code queue} gets its next attempt. */
  static RabbitDelivery.Mode modeOf(QueueRuntime queue) {
    if (queue.deadLetterQueue) {
      return RabbitDelivery.Mode.DEAD_LETTER_QUEUE;
    }
    return queue.ordered() ? RabbitDelivery.Mode.IN_PROCESS : RabbitDelivery.Mode.REPUBLISH;
  }

  @Override
  protected void start() {
    try {
      int prefetch = queue.ordered() ? 1 : options().prefetch();
      channel.channel().basicQos(prefetch);
      for (String physical : queue.physicalQueues()) {
        consumerTags.add(channel.channel().basicConsume(physical, false, new Receiver()));
      }
    } catch (IOException | RuntimeException e) {
      close(Duration.ZERO);
      throw new BrokerUnavailableException(
          "cannot start consumer '" + id() + "' on '" + queue.name + "': " + e, e);
    }
  }

  private final class Receiver extends DefaultConsumer {
    Receiver() {
      super(channel.channel());
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
      int attempt = queue.nextAttempt(props);
      if (queue.ordered()) {
        attempt = queue.attemptOf(props.getMessageId(), attempt);
      }
      offer(
          new RabbitDelivery(
              context, envelope.getDeliveryTag(), channel.epoch(), props, body, attempt));
    }

    @Override
    public void handleCancel(String consumerTag) {
      LOG.warn(
          "RabbitMQ cancelled consumer '{}' on '{}' (queue deleted?); it stops", id(), queue.name);
      intakeEnded();
    }
  }

  @Override
  protected InternalDelivery begin(RabbitDelivery d) {
    return !d.expireIfDue() && d.begin(Thread.currentThread()) ? d : null;
  }

  @Override
  protected void skipped(RabbitDelivery d) {
    // its lease ended while it waited, and it went back then
  }

  @Override
  protected void handled(RabbitDelivery d) {
    d.handlerDone();
  }

  @Override
  protected void giveBack(RabbitDelivery d) {
    d.giveBack();
  }

  /** Cancels the consumers; RabbitMQ then stops sending. */
  @Override
  protected void stopTaking() {
    for (String tag : consumerTags) {
      try {
        channel.channel().basicCancel(tag);
      } catch (IOException | RuntimeException e) {
        // the channel is already gone: RabbitMQ returns its messages itself
      }
    }
  }

  /**
   * Interrupts the handlers still running, gives back what is unfinished (a begun attempt counts
   * while a short grace allows) and closes the channel: RabbitMQ returns anything still unacked.
   */
  @Override
  protected void releaseUnfinished(List<RabbitDelivery> unfinished) {
    // a short, shared grace to record the cut-off attempts; past it they go back uncounted. Real
    // time, not the clock: it bounds the moves on the wire that closing waits for
    Instant releaseBy = Saturating.deadlineAfter(RELEASE_GRACE);
    // leases end first, so an interrupted handler's late ack is refused; then the interrupts;
    // then the moves, which may take a while
    List<Runnable> rest = new ArrayList<>();
    for (RabbitDelivery d : unfinished) {
      Runnable r = d.beginRelease(releaseBy);
      if (r != null) {
        rest.add(r);
      }
    }
    unfinished.forEach(RabbitDelivery::interruptRunner);
    rest.forEach(Runnable::run);
    unfinished.forEach(RabbitDelivery::flushOwed);
    channel.closeQuietly();
  }
}
