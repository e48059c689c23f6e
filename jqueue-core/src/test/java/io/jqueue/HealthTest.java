package io.jqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HealthTest {

  @Test
  @DisplayName("combining healths keeps the worse status")
  void worseWins() {
    Health up = Health.up();
    Health slow = Health.degraded("blocked");
    Health down = Health.down("circuit open");

    assertThat(up.and(up)).isEqualTo(up);
    assertThat(up.and(slow)).isEqualTo(slow);
    assertThat(slow.and(up)).isEqualTo(slow);
    assertThat(slow.and(down)).isEqualTo(down);
    assertThat(down.and(slow)).isEqualTo(down);
  }

  @Test
  @DisplayName("combining two healths of the same bad status keeps both reasons, once each")
  void reasonsJoin() {
    assertThat(Health.down("closed").and(Health.down("circuit open")))
        .isEqualTo(Health.down("closed; circuit open"));
    assertThat(Health.down("closed").and(Health.down("closed"))).isEqualTo(Health.down("closed"));
  }

  @Test
  @DisplayName("a DOWN or DEGRADED health must say why")
  void needsReason() {
    assertThatThrownBy(() -> Health.down(" "))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("reason");
    assertThatThrownBy(() -> Health.degraded(null)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new Health(null, "x")).isInstanceOf(ValidationException.class);
  }

  @Test
  @DisplayName("it reads as its status and reason")
  void readable() {
    assertThat(Health.up()).hasToString("UP");
    assertThat(Health.up().isUp()).isTrue();
    assertThat(Health.down("closed")).hasToString("DOWN (closed)");
    assertThat(Health.down("closed").isUp()).isFalse();
  }
}
