package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.ValidationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ActionPatternTest {

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @DisplayName("patterns match as AMQP topic bindings do")
  @CsvSource({
    "user.*, user.created, true",
    "user.*, user, false",
    "user.*, user.created.v2, false",
    "user.#, user, true",
    "user.#, user.created.v2, true",
    "#, any.thing, true",
    "#, '', true",
    "*, '', false",
    "*.created, order.created, true",
    "*.created, created, false",
    "#.created, a.b.created, true",
    "#.created, created, true",
    "a.#.z, a.z, true",
    "a.#.z, a.b.c.z, true",
    "a.#.z, a.b.c, false",
    "a.*.#.z, a.z, false",
    "user.created, user.created, true",
    "user.created, user.deleted, false",
    "#.#, x, true",
  })
  void matches(String pattern, String action, boolean expected) {
    assertThat(ActionPattern.of(pattern).matches(action.isEmpty() ? null : action))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @DisplayName("malformed patterns are refused")
  @ValueSource(strings = {"", "user..created", "user.", ".user", "us*er", "user.#x"})
  void malformed(String pattern) {
    assertThatThrownBy(() -> ActionPattern.of(pattern)).isInstanceOf(ValidationException.class);
  }

  @ParameterizedTest
  @DisplayName("a pattern of many # words against a long action stays fast")
  @ValueSource(ints = {60})
  void noBlowUp(int n) {
    String pattern = "#.a.".repeat(n) + "b";
    String action = "a.".repeat(200) + "c";
    assertThat(ActionPattern.of(pattern).matches(action)).isFalse();
  }
}
