package io.jqueue.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Health;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The mapping from the state of a RabbitMQ broker's connections to its health, without a server.
 */
class ConnectionHealthTest {
  private static final String AT = "amqp://127.0.0.1:5672";

  @Test
  @DisplayName("both connections open and publishing not blocked: UP")
  void up() {
    assertThat(ConnectionHealth.of(true, true, Optional.empty(), AT)).isEqualTo(Health.up());
  }

  @Test
  @DisplayName("a connection blocked by the server: DEGRADED, with the server's reason")
  void blocked() {
    Health h = ConnectionHealth.of(true, true, Optional.of("low on memory"), AT);

    assertThat(h.status()).isEqualTo(Health.Status.DEGRADED);
    assertThat(h.reason()).contains("blocks publishing").contains("low on memory").contains(AT);
  }

  @Test
  @DisplayName("a lost connection: DOWN while it recovers, naming which, blocked or not")
  void lost() {
    Health publishing = ConnectionHealth.of(false, true, Optional.of("low on memory"), AT);
    Health consuming = ConnectionHealth.of(true, false, Optional.empty(), AT);
    Health both = ConnectionHealth.of(false, false, Optional.empty(), AT);

    assertThat(publishing.status()).isEqualTo(Health.Status.DOWN);
    assertThat(publishing.reason()).contains("publishing connection").contains("recovering");
    assertThat(consuming.status()).isEqualTo(Health.Status.DOWN);
    assertThat(consuming.reason()).contains("consuming connection").contains("recovering");
    assertThat(both.status()).isEqualTo(Health.Status.DOWN);
    assertThat(both.reason()).contains("both connections").contains("recovering");
  }
}
