package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.ConnectionFactory;
import io.jqueue.ConfigurationException;
import io.jqueue.Message;
import io.jqueue.QueueSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * amqps:// against a TLS proxy in front of the test RabbitMQ, with certificates from a test CA: the
 * chain and the host name are both checked.
 */
class RabbitMqTlsTest {
  @TempDir static Path dir;
  private static TestCertificates certificates;
  private static Path forLoopback;
  private static Path forOtherHost;

  @BeforeAll
  static void certificates() throws Exception {
    certificates = new TestCertificates(dir);
    forLoopback = certificates.serverSignedByCa("loopback", "ip:127.0.0.1");
    forOtherHost = certificates.serverSignedByCa("other", "dns:not-this-host.example");
  }

  private static RabbitMqConfig.Builder config(TlsProxy proxy) {
    AmqpUri rabbit = AmqpUri.parse(RabbitMqTestSupport.URI);
    return RabbitMqTestSupport.config()
        .uri("amqps://" + rabbit.username + ":" + rabbit.password + "@127.0.0.1:" + proxy.port())
        .operationTimeout(Duration.ofSeconds(5));
  }

  private static TlsProxy proxy(Path serverKeys) throws Exception {
    AmqpUri rabbit = AmqpUri.parse(RabbitMqTestSupport.URI);
    return new TlsProxy(TestCertificates.server(serverKeys), rabbit.host, rabbit.port);
  }

  @Test
  @DisplayName("a certificate from a trusted CA for the host connected to: messages flow over TLS")
  void trustedCertificateForThisHost() throws Exception {
    try (TlsProxy proxy = proxy(forLoopback);
        RabbitMqBroker broker =
            RabbitMqBroker.connect(config(proxy).sslContext(certificates.trustingCa()).build())) {
      String queue = "jqueue-tls-" + UUID.randomUUID();
      broker.declareQueue(QueueSpec.builder(queue).build());
      try {
        broker.publisher().publish(Message.builder().topic(queue).text("over tls").build());
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> broker.stats(queue).ready() == 1);
      } finally {
        broker.deleteQueue(queue);
      }
    }
  }

  @Test
  @DisplayName("a trusted certificate issued for another host name is refused")
  void trustedCertificateForAnotherHost() throws Exception {
    try (TlsProxy proxy = proxy(forOtherHost)) {
      SSLContext trusting = certificates.trustingCa();
      Throwable thrown =
          catchThrowable(
              () -> RabbitMqBroker.connect(config(proxy).sslContext(trusting).build()).close());

      assertThat(thrown)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("host name")
          .hasMessageContaining("127.0.0.1");
    }
  }

  @Test
  @DisplayName("a certificate for this host from a CA the JVM does not trust is refused")
  void untrustedCertificate() throws Exception {
    try (TlsProxy proxy = proxy(forLoopback)) {
      Throwable thrown =
          catchThrowable(() -> RabbitMqBroker.connect(config(proxy).build()).close());

      assertThat(thrown)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("certificate");
    }
  }

  @Test
  @DisplayName("an sslContext with an amqp:// URI is refused: it would be silently unused")
  void sslContextNeedsAmqps() throws Exception {
    SSLContext trusting = certificates.trustingCa();
    Throwable thrown =
        catchThrowable(() -> RabbitMqTestSupport.config().sslContext(trusting).build());

    assertThat(thrown).isInstanceOf(ConfigurationException.class).hasMessageContaining("amqps://");
  }

  @Test
  @DisplayName("the connection factory verifies host names on blocking sockets and on NIO")
  void hostNameVerificationInBothSocketModes() throws Exception {
    ConnectionFactory factory =
        RabbitConnections.factory(
            RabbitMqConfig.builder()
                .uri("amqps://u:p@h")
                .sslContext(certificates.trustingCa())
                .build());
    SSLContext context = certificates.trustingCa();

    SSLEngine engine = context.createSSLEngine("h", 5671);
    factory.getNioParams().getSslEngineConfigurator().configure(engine);
    assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      factory.getSocketConfigurator().configure(socket);
      assertThat(socket.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }
  }
}
