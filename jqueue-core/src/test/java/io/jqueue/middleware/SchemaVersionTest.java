package io.jqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.JQueueHeaders;
import io.jqueue.Message;
import io.jqueue.ValidationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SchemaVersionTest {
  private final ChainStub chain = new ChainStub();

  private static Message msg(String action) {
    return Message.builder().topic("users").action(action).text("{}").build();
  }

  @Test
  @DisplayName("the action's version is stamped, the default for other actions, none without one")
  void versionsByAction() {
    SchemaVersion perAction = SchemaVersion.builder().version("user.created", "2").build();
    SchemaVersion withDefault =
        SchemaVersion.builder().version("user.created", "2").defaultVersion("1").build();

    perAction.publish(msg("user.created"), chain);
    perAction.publish(msg("user.deleted"), chain);
    withDefault.publish(msg("user.deleted"), chain);
    SchemaVersion.of("3").publish(msg(null), chain);

    assertThat(chain.received)
        .extracting(m -> m.header(JQueueHeaders.SCHEMA_VERSION).orElse("-"))
        .containsExactly("2", "-", "1", "3");
  }

  @Test
  @DisplayName("a version the message already carries is kept")
  void keepsExplicit() {
    Message m = msg("user.created").toBuilder().header(JQueueHeaders.SCHEMA_VERSION, "9").build();

    SchemaVersion.of("2").publish(m, chain);

    assertThat(chain.received.get(0).header(JQueueHeaders.SCHEMA_VERSION)).contains("9");
  }

  @Test
  @DisplayName("blank versions and an empty configuration are refused")
  void badOptions() {
    assertThatThrownBy(() -> SchemaVersion.of(" ")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> SchemaVersion.builder().build())
        .isInstanceOf(ValidationException.class);
  }
}
