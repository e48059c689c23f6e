package io.jqueue.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import io.jqueue.Health;
import java.util.Optional;

/**
 * The health of an open {@link RabbitMqBroker} from the state of its two connections: a lost
 * connection (being recovered) is DOWN, a publishing connection the server blocked (a memory or
 * disk alarm) is DEGRADED, since publishes wait for it to clear and may time out.
 */
final class ConnectionHealth {
  private ConnectionHealth() {}

  /**
   * Runs {@code onChange} when {@code connection} is blocked or unblocked, is lost, starts
   * recovering and has recovered. Listeners run in the order they were added, so these see the
   * state that listeners added earlier have set.
   */
  static void watch(Connection connection, Runnable onChange) {
    connection.addBlockedListener(reason -> onChange.run(), onChange::run);
    connection.addShutdownListener(cause -> onChange.run());
    if (connection instanceof Recoverable) {
      ((Recoverable) connection)
          .addRecoveryListener(
              new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recoverable) {
                  onChange.run();
                }

                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {
                  onChange.run();
                }
              });
    }
  }

  /**
   * The health given whether each connection is open now, and why the server blocks publishing, if
   * it does; {@code endpoint} (without credentials) names the server in the reasons.
   */
  static Health of(
      boolean publishOpen, boolean consumeOpen, Optional<String> blocked, String endpoint) {
    if (!publishOpen && !consumeOpen) {
      return Health.down(
          "both connections to RabbitMQ at "
              + endpoint
              + " are lost; recovering: publishes and consumers resume once it is reachable");
    }
    if (!publishOpen) {
      return Health.down(
          "the publishing connection to RabbitMQ at "
              + endpoint
              + " is lost; recovering: publishes fail until it is back");
    }
    if (!consumeOpen) {
      return Health.down(
          "the consuming connection to RabbitMQ at "
              + endpoint
              + " is lost; recovering: consumers resume once it is back");
    }
    if (blocked.isPresent()) {
      return Health.degraded(
          "RabbitMQ at "
              + endpoint
              + " blocks publishing ("
              + blocked.get()
              + "): publishes wait until it clears; free memory or disk on the server, or consume"
              + " faster");
    }
    return Health.up();
  }
}
