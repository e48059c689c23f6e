package io.jqueue.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.LeaseExpiredException;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LeaseStateTest {
  private final LeaseState lease =
      new LeaseState(
          "orders", io.jqueue.Message.builder().id("m-1").build(), Duration.ofSeconds(30));

  @Test
  @DisplayName("a lease is active and not started until a handler begins")
  void fresh() {
    assertThat(lease.isActive()).isTrue();
    assertThat(lease.isStarted()).isFalse();
    assertThat(lease.begin()).isTrue();
    assertThat(lease.isStarted()).isTrue();
  }

  @Test
  @DisplayName("one outcome only: a second is an IllegalStateException")
  void settleOnce() {
    lease.end(LeaseState.Phase.SETTLED);
    assertThat(lease.isLost()).isFalse();
    assertThatThrownBy(() -> lease.end(LeaseState.Phase.SETTLED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("m-1 was already settled");
  }

  @Test
  @DisplayName("a late ack after expiry is a LeaseExpiredException naming the timeout")
  void lateAckAfterExpiry() {
    lease.begin();
    lease.end(LeaseState.Phase.EXPIRED);
    assertThat(lease.isLost()).isTrue();
    assertThatThrownBy(() -> lease.end(LeaseState.Phase.SETTLED))
        .isInstanceOf(LeaseExpiredException.class)
        .hasMessageContaining("visibility timeout of PT30S");
  }

  @Test
  @DisplayName("expiry after an outcome changes nothing: the outcome wins the race")
  void expiryAfterOutcome() {
    lease.end(LeaseState.Phase.SETTLED);
    assertThatThrownBy(() -> lease.end(LeaseState.Phase.EXPIRED))
        .isInstanceOf(IllegalStateException.class);
    assertThat(lease.phase()).isEqualTo(LeaseState.Phase.SETTLED);
  }

  @Test
  @DisplayName("a handler cannot begin after its consumer closed, nor settle after the release")
  void closeBeforeHandler() {
    lease.end(LeaseState.Phase.RELEASED);
    assertThat(lease.begin()).isFalse();
    assertThat(lease.isStarted()).isFalse();
    assertThatThrownBy(lease::requireActive)
        .isInstanceOf(LeaseExpiredException.class)
        .hasMessageContaining("released because its consumer or the broker closed");
  }
}
