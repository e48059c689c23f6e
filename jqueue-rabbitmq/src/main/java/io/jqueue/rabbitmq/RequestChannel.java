package io.jqueue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.jqueue.BrokerClosedException;
import io.jqueue.BrokerUnavailableException;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.internal.ReplyQueue;
import io.jqueue.spi.RequestTransport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One requester's channel on the publishing connection: it consumes {@code amq.rabbitmq.reply-to}
 * in no-ack mode and carries the requester's requests, in confirm mode, since RabbitMQ answers a
 * direct reply-to only on the channel that published the request.
 *
 * <p>After a connection loss the client recovers the channel and its consumer; until the consumer
 * is back, a request waits (up to its publish deadline) instead of being published, because a
 * request published with no reply consumer is a channel error. A channel that died of a channel
 * error is replaced with a new one and a new consumer. Replies addressed to a channel that no
 * longer exists are discarded by RabbitMQ: their requests time out.
 */
final class RequestChannel implements RequestTransport, ChannelSource {
  private static final Logger LOG = LoggerFactory.getLogger(RequestChannel.class);

  private final Connection connection;
  private final int maxOutstanding;
  private final String requesterId;
  private final String replyTopic;
  private final Consumer<Message> replies;
  private final MessageSink send;
  private Live live; // guarded by this
  private boolean closed; // guarded by this

  /** Sends one request for this requester through the broker's routing (the broker's send). */
  @FunctionalInterface
  interface MessageSink {
    PublishReceipt send(Message request, Instant deadline, ChannelSource channels);
  }

  private RequestChannel(
      Connection connection,
      int maxOutstanding,
      String requesterId,
      Consumer<Message> replies,
      MessageSink send) {
    this.connection = connection;
    this.maxOutstanding = maxOutstanding;
    this.requesterId = requesterId;
    this.replyTopic = ReplyQueue.PREFIX + requesterId; // a delivered reply's topic (ignored)
    this.replies = replies;
    this.send = send;
  }

  /**
   * Opens the channel and its reply consumer for requester {@code requesterId} on {@code
   * connection}; replies go to {@code replies}, requests to {@code send}.
   *
   * @throws BrokerUnavailableException when the channel cannot be opened now
   */
  static RequestChannel open(
      Connection connection,
      int maxOutstanding,
      String requesterId,
      Consumer<Message> replies,
      MessageSink send) {
    RequestChannel c = new RequestChannel(connection, maxOutstanding, requesterId, replies, send);
    synchronized (c) {
      c.live = c.openLive();
    }
    return c;
  }

  @Override
  public String replyTo() {
    return DirectReplyTo.PSEUDO_QUEUE;
  }

  @Override
  public PublishReceipt send(Message request, Instant deadline) {
    return send.send(request, deadline, this);
  }

  /**
   * The channel, while its reply consumer is registered; a dead one is replaced first.
   *
   * @throws BrokerUnavailableException while the connection or the consumer recovers
   * @throws BrokerClosedException once the requester is closed
   */
  @Override
  public synchronized PublishChannel checkout(Duration timeout) {
    if (closed) {
      throw new BrokerClosedException("requester '" + requesterId + "' is closed");
    }
    if (live.publishing.isPermanentlyClosed()) {
      LOG.warn(
          "the reply channel of requester '{}' died of a channel error; opening a new one (replies"
              + " to requests sent before are lost: those requests time out)",
          requesterId);
      live.publishing.closeQuietly();
      live = openLive();
    }
    if (!live.consuming || !live.publishing.isOpen()) {
      throw new BrokerUnavailableException(
          "the reply consumer of requester '" + requesterId + "' is recovering");
    }
    return live.publishing;
  }

  @Override
  public void release(PublishChannel channel) {
    // it stays open: it is the reply consumer's channel
  }

  @Override
  public void close() {
    Live last;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      last = live;
    }
    last.publishing.closeQuietly(); // cancels the reply consumer with it
  }

  private Live openLive() {
    Channel raw = null;
    try {
      raw = connection.createChannel();
      if (raw == null) {
        throw new IOException("no free channel number on the publishing connection");
      }
      Live l = new Live(raw, new PublishChannel(raw, maxOutstanding, connection.getFrameMax()));
      // no-ack, as RabbitMQ requires of direct reply-to; basicConsume returns after consume-ok
      raw.basicConsume(DirectReplyTo.PSEUDO_QUEUE, true, "jqueue-replies-" + requesterId, l);
      l.consuming = true;
      return l;
    } catch (IOException | RuntimeException e) {
      if (raw != null) {
        try {
          raw.abort();
        } catch (IOException | RuntimeException ignored) {
          // already gone
        }
      }
      throw new BrokerUnavailableException(
          "cannot open the reply channel of requester '" + requesterId + "': " + e, e);
    }
  }

  /** The channel now in use, and whether its reply consumer is registered. */
  private final class Live extends DefaultConsumer {
    final PublishChannel publishing;
    volatile boolean consuming;

    Live(Channel raw, PublishChannel publishing) {
      super(raw);
      this.publishing = publishing;
      // on the connection's thread, at once: no request goes out between loss and recovery
      raw.addShutdownListener(cause -> consuming = false);
    }

    @Override
    public void handleConsumeOk(String consumerTag) {
      consuming = true; // also after recovery, when the client registers the consumer again
    }

    @Override
    public void handleCancel(String consumerTag) {
      consuming = false;
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      try {
        replies.accept(WireFormat.toMessage(replyTopic, properties, body));
      } catch (RuntimeException e) {
        LOG.warn("requester '{}' could not read a reply; dropped", requesterId, e);
      }
    }
  }
}
