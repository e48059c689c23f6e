package io.jqueue.rabbitmq;

import java.time.Duration;

/**
 * Where a {@link Sender} gets the channel for one publish: the broker's {@link ChannelPool}, or a
 * requester's own {@link RequestChannel} (direct reply-to needs requests on the channel that
 * consumes the replies).
 */
interface ChannelSource {

  /**
   * A channel for one publish, waiting at most {@code timeout} (real time) for one.
   *
   * @throws io.jqueue.BrokerUnavailableException when none can be had now (the connection is
   *     recovering); the sender tries again until its deadline
   */
  PublishChannel checkout(Duration timeout) throws InterruptedException;

  /**
   * Like {@link #checkout}, but the channel this thread was given last by this method, as long as
   * it can still publish (waiting for it if another thread writes on it): RabbitMQ keeps the order
   * of one channel's messages only, and a thread that does not await each confirm before its next
   * write relies on it. A source of one channel has nothing else to give.
   */
  default PublishChannel checkoutInOrder(Duration timeout) throws InterruptedException {
    return checkout(timeout);
  }

  /** Gives back a channel after its publish (its confirm is awaited after this). */
  void release(PublishChannel channel);
}
