package io.jqueue.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jqueue.Message;
import io.jqueue.filter.MessageFilter.Verdict;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PredicateAndAllFilterTest {
  private final Message email = MessageFilterTest.withHeaders(Map.of("type", "email"));
  private final Message sms = MessageFilterTest.withHeaders(Map.of("type", "sms"));

  @Test
  @DisplayName("a predicate filter passes the messages its predicate accepts")
  void predicateDecides() {
    MessageFilter filter = MessageFilter.of(m -> m.header("type").orElse("").equals("email"));

    assertThat(filter.test(email)).isEqualTo(Verdict.MATCH);
    assertThat(filter.test(sms)).isEqualTo(Verdict.NO_MATCH);
    assertThat(filter.matches(email)).isTrue();
    assertThat(filter.matches(sms)).isFalse();
    assertThat(filter.expression()).isEqualTo("<predicate>");
  }

  @Test
  @DisplayName(
      "a predicate that throws yields ERROR from test and false from matches, never a throw")
  void throwingPredicateIsAnError() {
    MessageFilter filter =
        MessageFilter.of(
            m -> {
              throw new IllegalStateException("bug in the filter");
            });

    assertThat(filter.test(email)).isEqualTo(Verdict.ERROR);
    assertThatNoException().isThrownBy(() -> filter.matches(email));
    assertThat(filter.matches(email)).isFalse();
  }

  @Test
  @DisplayName("a predicate that sneaks out a checked exception is an ERROR too")
  void sneakyCheckedException() {
    MessageFilter filter = MessageFilter.of(m -> sneakyThrow(new IOException("disk")));

    assertThat(filter.test(email)).isEqualTo(Verdict.ERROR);
  }

  @Test
  @DisplayName("a custom filter whose matches throws gets ERROR from the default test")
  void customFilterDefaultTest() {
    MessageFilter custom =
        new MessageFilter() {
          @Override
          public boolean matches(Message message) {
            if (message.header("type").isEmpty()) {
              throw new IllegalArgumentException("no type");
            }
            return message.header("type").get().equals("email");
          }

          @Override
          public String expression() {
            return "custom";
          }
        };

    assertThat(custom.test(email)).isEqualTo(Verdict.MATCH);
    assertThat(custom.test(sms)).isEqualTo(Verdict.NO_MATCH);
    assertThat(custom.test(MessageFilterTest.withHeaders(Map.of()))).isEqualTo(Verdict.ERROR);
  }

  @Test
  @DisplayName("all() passes every message and has an empty expression")
  void allPassesEverything() {
    MessageFilter all = MessageFilter.all();

    assertThat(all.matches(email)).isTrue();
    assertThat(all.test(MessageFilterTest.withHeaders(Map.of()))).isEqualTo(Verdict.MATCH);
    assertThat(all.expression()).isEmpty();
    assertThat(MessageFilter.all()).isSameAs(all);
  }

  @Test
  @DisplayName("null arguments are refused at once")
  void nulls() {
    assertThatThrownBy(() -> MessageFilter.parse(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> MessageFilter.of(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> MessageFilter.of(m -> true).test(null))
        .isInstanceOf(NullPointerException.class);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> boolean sneakyThrow(Throwable e) throws E {
    throw (E) e;
  }
}
