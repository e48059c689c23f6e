package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.DestinationNotFoundException;
import io.jqueue.TopologyConflictException;
import java.io.IOException;
import java.util.Map;

/**
 * Topology operations on one dedicated channel: declares, deletes, purges and passive checks.
 * RabbitMQ answers a failed operation by closing the channel, so the channel is reopened on demand
 * and its errors are turned into jqueue's: 404 → {@link DestinationNotFoundException}, 406 → {@link
 * TopologyConflictException}, anything else → {@link BrokerUnavailableException}.
 */
final class Admin implements AutoCloseable {
  private final Connection connection;
  private Channel channel;

  Admin(Connection connection) {
    this.connection = connection;
  }

  @FunctionalInterface
  interface Call<T> {
    T run(Channel channel) throws IOException;
  }

  synchronized <T> T call(String what, String queue, Call<T> call) {
    try {
      if (channel == null || !channel.isOpen()) {
        channel = connection.createChannel();
      }
      return call.run(channel);
    } catch (IOException | RuntimeException e) {
      throw translate(what, queue, e);
    }
  }

  void declare(String queue, Map<String, Object> arguments) {
    call("declare", queue, ch -> ch.queueDeclare(queue, true, false, false, arguments));
  }

  /** Ready messages in {@code queue}; throws {@link DestinationNotFoundException} if absent. */
  long messageCount(String queue) {
    return call("count", queue, ch -> ch.queueDeclarePassive(queue).getMessageCount());
  }

  boolean exists(String queue) {
    try {
      messageCount(queue);
      return true;
    } catch (DestinationNotFoundException e) {
      return false;
    }
  }

  void delete(String queue) {
    call("delete", queue, ch -> ch.queueDelete(queue));
  }

  long purge(String queue) {
    return call("purge", queue, ch -> ch.queuePurge(queue).getMessageCount());
  }

  void declareExchange(String exchange) {
    call("declare exchange", exchange, ch -> ch.exchangeDeclare(exchange, "direct", true));
  }

  void bind(String queue, String exchange, String routingKey) {
    call("bind", queue, ch -> ch.queueBind(queue, exchange, routingKey));
  }

  private static RuntimeException translate(String what, String queue, Exception e) {
    AMQP.Channel.Close close = channelClose(e);
    if (close != null && close.getReplyCode() == AMQP.NOT_FOUND) {
      return new DestinationNotFoundException(queue);
    }
    if (close != null && close.getReplyCode() == AMQP.PRECONDITION_FAILED) {
      return new TopologyConflictException(
          queue,
          "RabbitMQ already has queue '"
              + queue
              + "' with different settings ("
              + close.getReplyText()
              + "); jqueue never changes a queue silently: delete it first or use another name");
    }
    return new BrokerUnavailableException(
        "RabbitMQ " + what + " of '" + queue + "' failed: " + e, e);
  }

  private static AMQP.Channel.Close channelClose(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ShutdownSignalException
          && ((ShutdownSignalException) t).getReason() instanceof AMQP.Channel.Close) {
        return (AMQP.Channel.Close) ((ShutdownSignalException) t).getReason();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  @Override
  public synchronized void close() {
    try {
      if (channel != null && channel.isOpen()) {
        channel.close();
      }
    } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
      // closing on the way out
    }
  }
}
