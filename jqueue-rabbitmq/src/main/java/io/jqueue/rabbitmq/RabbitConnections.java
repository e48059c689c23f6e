package io.jqueue.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.nio.NioParams;
import io.jqueue.ConfigurationException;
import io.jqueue.internal.Saturating;
import java.io.IOException;
import javax.net.ssl.SSLContext;

/**
 * The AMQP connections of a {@link RabbitMqBroker}: a factory set up from a {@link RabbitMqConfig}
 * (jqueue's own URI parsing, NIO with bounded writes, TLS with chain and host name checks,
 * automatic recovery, timeouts), and a bounded close.
 */
final class RabbitConnections {
  private RabbitConnections() {}

  /** A connection factory for {@code config}. */
  static ConnectionFactory factory(RabbitMqConfig config) {
    if (config.connectionFactory().isPresent()) {
      return adopt(config.connectionFactory().get().clone(), config);
    }
    ConnectionFactory f = new ConnectionFactory();
    // not f.setUri: it leaves the defaults (127.0.0.1, guest) for parts java.net.URI cannot parse
    AmqpUri endpoint = config.endpoint();
    f.setHost(endpoint.host);
    f.setPort(endpoint.port);
    f.setUsername(endpoint.username);
    f.setPassword(endpoint.password);
    f.setVirtualHost(endpoint.virtualHost);
    // NIO: frames are written by an I/O thread; a publisher only enqueues them, and gives up
    // after a bounded wait when the socket stalls, instead of hanging in a socket write
    f.useNio();
    f.setNioParams(
        new NioParams()
            .setWriteEnqueuingTimeoutInMs(500)
            .setWriteQueueCapacity(1_000)
            .setNbIoThreads(2));
    if (endpoint.tls) {
      try {
        // verify the chain (the client's own amqps default trusts every certificate)
        f.useSslProtocol(config.sslContext().orElse(SSLContext.getDefault()));
      } catch (java.security.GeneralSecurityException e) {
        throw new ConfigurationException(
            "cannot set up TLS for RabbitMQ at " + endpoint + ": " + e, e);
      }
      // and the host name, for blocking sockets and NIO alike. Both calls only after
      // setNioParams: they add an SSLEngine configurator to the NioParams present now, which
      // NioParams set later replace (a trusted certificate for any host was then accepted).
      // useSslProtocol(SSLContext) enables it too in amqp-client 5.37; saying it costs nothing.
      f.enableHostnameVerification();
    }
    f.setAutomaticRecoveryEnabled(true);
    f.setTopologyRecoveryEnabled(true);
    f.setNetworkRecoveryInterval(Saturating.toMillis(config.recoveryInterval()));
    int timeoutMillis =
        (int) Math.min(Integer.MAX_VALUE, Saturating.toMillis(config.operationTimeout()));
    f.setConnectionTimeout(timeoutMillis);
    f.setHandshakeTimeout(timeoutMillis);
    f.setChannelRpcTimeout(timeoutMillis);
    f.setRequestedHeartbeat(10);
    return f;
  }

  /**
   * The application's own factory, with what jqueue relies on: recovery after a lost connection
   * (consumers resume, declared queues come back) and no operation that waits forever.
   */
  private static ConnectionFactory adopt(ConnectionFactory f, RabbitMqConfig config) {
    f.setAutomaticRecoveryEnabled(true);
    f.setTopologyRecoveryEnabled(true);
    int timeoutMillis =
        (int) Math.min(Integer.MAX_VALUE, Saturating.toMillis(config.operationTimeout()));
    if (f.getConnectionTimeout() <= 0) {
      f.setConnectionTimeout(timeoutMillis);
    }
    if (f.getHandshakeTimeout() <= 0) {
      f.setHandshakeTimeout(timeoutMillis);
    }
    if (f.getChannelRpcTimeout() <= 0) {
      f.setChannelRpcTimeout(timeoutMillis);
    }
    return f;
  }

  static void closeQuietly(com.rabbitmq.client.Channel ch) {
    if (ch == null) {
      return;
    }
    try {
      ch.close();
    } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
      // already closed
    }
  }

  static void closeQuietly(Connection c) {
    closeQuietly(c, 2_000);
  }

  static void closeQuietly(Connection c, int timeoutMillis) {
    if (c == null) {
      return;
    }
    try {
      c.close(timeoutMillis);
    } catch (IOException | RuntimeException e) {
      // already closed
    }
  }
}
