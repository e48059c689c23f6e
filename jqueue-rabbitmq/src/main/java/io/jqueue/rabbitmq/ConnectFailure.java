package io.jqueue.rabbitmq;

import io.jqueue.BrokerUnavailableException;
import io.jqueue.ConfigurationException;
import io.jqueue.JQueueException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLException;

/**
 * Turns a failed connection attempt into the exception that says what to do: a refused TLS
 * certificate or a TLS handshake with a plain port is a {@link ConfigurationException} (trying
 * again will not help), anything else a {@link BrokerUnavailableException}.
 */
final class ConnectFailure {
  private ConnectFailure() {}

  static JQueueException of(AmqpUri endpoint, Exception e) {
    Throwable root = e;
    boolean tls = false;
    boolean certificate = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      tls |= t instanceof SSLException;
      // CertificateException (host name, validity) and CertPathBuilderException (chain)
      certificate |= t instanceof GeneralSecurityException;
      root = t;
    }
    String cause =
        root.getMessage() == null || root.getMessage().isBlank()
            ? root.getClass().getSimpleName()
            : root.getMessage();
    if (tls && certificate) {
      return new ConfigurationException(
          "TLS connection to RabbitMQ at "
              + endpoint
              + " refused: the certificate chain or host name check failed ("
              + cause
              + "); trust the server's CA (RabbitMqConfig.Builder.sslContext) and connect with"
              + " a host name or IP address the certificate names",
          e);
    }
    if (tls) {
      return new ConfigurationException(
          "TLS handshake with RabbitMQ at "
              + endpoint
              + " failed ("
              + cause
              + "); is that port a TLS listener? (amqps is usually port 5671, amqp 5672)",
          e);
    }
    return new BrokerUnavailableException(
        "cannot connect to RabbitMQ at " + endpoint + ": " + cause, e);
  }
}
