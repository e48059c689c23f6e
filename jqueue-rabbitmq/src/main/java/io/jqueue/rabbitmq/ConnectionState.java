package io.jqueue.rabbitmq;

import com.rabbitmq.client.Connection;
import io.jqueue.PublishTimeoutException;
import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether RabbitMQ has blocked the publishing connection (a memory or disk alarm). While it is
 * blocked, publishes wait for it to clear until their deadline, then fail, instead of hanging in a
 * socket write.
 */
final class ConnectionState {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionState.class);

  private boolean blocked;
  private String reason = "";

  ConnectionState(Connection connection) {
    connection.addBlockedListener(this::onBlocked, this::onUnblocked);
    // RabbitMQ never unblocks a connection that is gone; the recovered one starts unblocked (it
    // is told again if the alarm still holds)
    connection.addShutdownListener(cause -> onUnblocked());
  }

  private synchronized void onBlocked(String why) {
    blocked = true;
    reason = why;
    LOG.warn("RabbitMQ blocked the publishing connection: {}", why);
  }

  private synchronized void onUnblocked() {
    if (blocked) {
      LOG.info("the publishing connection is no longer blocked");
    }
    blocked = false;
    notifyAll();
  }

  /**
   * Returns once the connection is not blocked; throws when it stays blocked past the deadline
   * (real time, as every wait on the wire).
   */
  synchronized void awaitUnblocked(Instant deadline) {
    try {
      long left;
      while (blocked && (left = Saturating.millisUntil(Instant.now(), deadline)) > 0) {
        wait(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (blocked) {
      throw new PublishTimeoutException(
          "RabbitMQ has blocked publishing ("
              + reason
              + ") until the publish deadline; the message was not sent. Free memory or disk on"
              + " the broker, or consume faster",
          Duration.ZERO);
    }
  }

  synchronized boolean isBlocked() {
    return blocked;
  }

  /** Why the server blocks publishing, when it does. */
  synchronized Optional<String> blockedReason() {
    return blocked ? Optional.of(reason) : Optional.empty();
  }
}
