package io.jqueue.rabbitmq;

import com.rabbitmq.client.Channel;
import java.io.IOException;

/**
 * A consuming channel's acks and nacks, serialised, and refused for deliveries from before the
 * channel last went down: their tags mean nothing after recovery, and RabbitMQ has already put
 * those messages back in their queue.
 */
final class AckChannel {
  private final Channel channel;
  private volatile int epoch;

  AckChannel(Channel channel) {
    this.channel = channel;
    channel.addShutdownListener(cause -> epoch++);
  }

  Channel channel() {
    return channel;
  }

  /** The current epoch, to record with each delivery. */
  int epoch() {
    return epoch;
  }

  /** Acks {@code tag}; false when the delivery is from an earlier epoch or the ack failed. */
  synchronized boolean ack(long tag, int deliveryEpoch) {
    if (deliveryEpoch != epoch) {
      return false;
    }
    try {
      channel.basicAck(tag, false);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Nacks {@code tag}; false when the delivery is from an earlier epoch or the nack failed. */
  synchronized boolean nack(long tag, int deliveryEpoch, boolean requeue) {
    if (deliveryEpoch != epoch) {
      return false;
    }
    try {
      channel.basicNack(tag, false, requeue);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  void closeQuietly() {
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
      // closing on the way out
    }
  }
}
