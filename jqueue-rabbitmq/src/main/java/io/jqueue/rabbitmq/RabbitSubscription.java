package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.ConsumerOptions;
import io.jqueue.MessageHandler;
import io.jqueue.SubscriberStats;
import io.jqueue.Subscription;
import io.jqueue.internal.ConsumePipeline;
import io.jqueue.internal.ConsumerThreads;
import io.jqueue.internal.HandlerWorkers;
import io.jqueue.internal.Saturating;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A push consumer of a RabbitMQ-backed queue: one channel with {@code basic.qos(prefetch)} and a
 * consumer on the queue (or, for an ordered queue, one single-active consumer per partition with a
 * prefetch of 1). Handlers run on {@link HandlerWorkers}. The channel recovers with its connection
 * and the consumers resume by themselves.
 */
final class RabbitSubscription implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitSubscription.class);
  private static final Duration RELEASE_GRACE = Duration.ofMillis(500);

  private final QueueRuntime queue;
  private final ConsumerOptions options;
  private final ConsumePipeline pipeline;
  private final HandlerWorkers<RabbitDelivery> workers;
  private final ExecutorService ownExecutor;
  private final Runnable onClosed;
  private final AckChannel channel;
  private final RabbitDelivery.Context context;
  private final List<String> consumerTags = new ArrayList<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile boolean closed;
  private final LongAdder processed = new LongAdder();
  private final LongAdder errors = new LongAdder();

  RabbitSubscription(
      Connection connection,
      QueueRuntime queue,
      ConsumerOptions options,
      MessageHandler handler,
      Moves moves,
      ScheduledExecutorService timer,
      Executor work,
      Runnable onClosed) {
    this.queue = queue;
    this.options = options;
    this.pipeline =
        new ConsumePipeline(
            options.middlewares(),
            handler,
            result -> (result == ConsumePipeline.Result.HANDLED ? processed : errors).increment());
    this.onClosed = onClosed;
    this.ownExecutor = ConsumerThreads.ownExecutor(options, queue.name);
    this.workers =
        new HandlerWorkers<>(
            options.concurrency(),
            options.executor().orElse(ownExecutor),
            this::runOne,
            this::refused);
    try {
      this.channel = new AckChannel(connection.createChannel());
    } catch (IOException e) {
      ConsumerThreads.stop(ownExecutor);
      throw new BrokerUnavailableException("cannot open a consumer channel: " + e, e);
    }
    this.context =
        new RabbitDelivery.Context(
            queue,
            channel,
            options.id(),
            options.codec(),
            moves,
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

  void start() {
    try {
      int prefetch = queue.ordered() ? 1 : options.prefetch();
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
      if (closing.compareAndSet(false, true)) {
        workers.close().forEach(d -> d.release(Instant.now()));
      }
    }
  }

  void offer(RabbitDelivery d) {
    if (!workers.offer(d)) {
      d.release(Instant.now());
    }
  }

  private void refused(RabbitDelivery d) {
    stopIntake();
    d.release(Instant.now());
  }

  private void runOne(RabbitDelivery d) {
    if (closed || !d.begin(Thread.currentThread())) {
      if (closed) {
        d.release(Instant.now());
      }
      return;
    }
    try {
      pipeline.run(d);
    } finally {
      d.handlerDone();
    }
  }

  @Override
  public String id() {
    return options.id();
  }

  @Override
  public String queue() {
    return queue.name;
  }

  @Override
  public boolean isActive() {
    return !closing.get() && !workers.isClosed();
  }

  SubscriberStats stats() {
    return new SubscriberStats(id(), processed.sum(), errors.sum(), workers.holding());
  }

  @Override
  public void close(Duration timeout) {
    Instant deadline = Saturating.deadlineAfter(timeout);
    stopIntake();
    finish(deadline);
  }

  /** Cancels the consumers and returns buffered messages to RabbitMQ. */
  void stopIntake() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    for (String tag : consumerTags) {
      try {
        channel.channel().basicCancel(tag);
      } catch (IOException | RuntimeException e) {
        // the channel is already gone: RabbitMQ returns its messages itself
      }
    }
    workers.close().forEach(d -> d.release(Instant.now()));
  }

  /**
   * Waits for running handlers until {@code deadline}, interrupts those still running, gives back
   * what is unfinished (a begun attempt counts while the deadline allows) and closes the channel:
   * RabbitMQ returns anything still unacked to the queue.
   */
  void finish(Instant deadline) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    List<RabbitDelivery> unfinished = workers.awaitIdle(deadline);
    closed = true;
    // a short, shared grace to record the cut-off attempts; past it they go back uncounted
    Instant releaseBy = Instant.now().plus(RELEASE_GRACE);
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
    ConsumerThreads.stop(ownExecutor);
    onClosed.run();
  }

  @Override
  public String toString() {
    return "Subscription{" + id() + " on " + queue.name + '}';
  }
}
