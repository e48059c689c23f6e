package io.jqueue.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.jqueue.Message;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageFilterTest {

  static Message withHeaders(Map<String, String> headers) {
    return Message.builder().topic("users").action("user.created").headers(headers).build();
  }

  static Stream<Arguments> table() {
    Map<String, String> none = Map.of();
    return Stream.of(
        // = : present and equal, exactly
        arguments("attributes.type = \"email\"", Map.of("type", "email"), true),
        arguments("attributes.type = \"email\"", Map.of("type", "sms"), false),
        arguments("attributes.type = \"email\"", Map.of("type", "Email"), false),
        arguments("attributes.type = \"email\"", Map.of("type", "emailx"), false),
        arguments("attributes.type = \"email\"", none, false),
        arguments("attributes.type = \"\"", Map.of("type", ""), true),
        arguments("attributes.type = \"\"", none, false),
        // != : missing or different, as on Pub/Sub
        arguments("attributes.type != \"email\"", Map.of("type", "sms"), true),
        arguments("attributes.type != \"email\"", Map.of("type", "email"), false),
        arguments("attributes.type != \"email\"", none, true),
        // : presence, whatever the value
        arguments("attributes:type", Map.of("type", ""), true),
        arguments("attributes:type", Map.of("other", "type"), false),
        arguments("attributes:Type", Map.of("type", "x"), false),
        // hasPrefix
        arguments("hasPrefix(attributes.region, \"eu-\")", Map.of("region", "eu-west"), true),
        arguments("hasPrefix(attributes.region, \"eu-\")", Map.of("region", "us-east"), false),
        arguments("hasPrefix(attributes.region, \"eu-\")", Map.of("region", "eu"), false),
        arguments("hasPrefix(attributes.region, \"eu-\")", none, false),
        arguments("hasPrefix(attributes.region, \"\")", Map.of("region", "x"), true),
        arguments("hasPrefix(attributes.region, \"\")", none, false),
        // NOT and its short form -
        arguments("NOT attributes:test", none, true),
        arguments("NOT attributes:test", Map.of("test", "1"), false),
        arguments("-attributes:test", Map.of("test", "1"), false),
        arguments("- attributes:test", none, true),
        arguments("-(attributes:a OR attributes:b)", Map.of("b", "1"), false),
        arguments("NOT NOT attributes:a", Map.of("a", "1"), true),
        arguments("NOT attributes.type = \"email\"", none, true),
        // AND, OR
        arguments("attributes:a AND attributes:b", Map.of("a", "1", "b", "1"), true),
        arguments("attributes:a AND attributes:b", Map.of("a", "1"), false),
        arguments("attributes:a OR attributes:b", Map.of("b", "1"), true),
        arguments("attributes:a OR attributes:b", none, false),
        arguments(
            "attributes:a AND attributes:b AND attributes:c", Map.of("a", "", "b", ""), false),
        arguments("attributes:a OR attributes:b OR attributes:c", Map.of("c", ""), true),
        // precedence: NOT > AND > OR
        arguments(
            "attributes:a OR attributes:b AND NOT attributes:c", Map.of("a", "", "c", ""), true),
        arguments(
            "attributes:a OR attributes:b AND NOT attributes:c", Map.of("b", "", "c", ""), false),
        arguments("attributes:a OR attributes:b AND NOT attributes:c", Map.of("b", ""), true),
        arguments("attributes:a AND attributes:b OR attributes:c", Map.of("c", ""), true),
        arguments("NOT attributes:a AND attributes:b", Map.of("a", ""), false),
        arguments("NOT attributes:a OR attributes:b", Map.of("a", "", "b", ""), true),
        arguments("-attributes:a AND attributes:b", Map.of("a", ""), false),
        // parentheses override precedence
        arguments(
            "(attributes:a OR attributes:b) AND NOT attributes:c", Map.of("a", "", "c", ""), false),
        arguments("attributes:a AND (attributes:b OR attributes:c)", Map.of("c", ""), false),
        arguments("NOT (attributes:a AND attributes:b)", Map.of("a", ""), true),
        arguments("NOT (attributes:a OR attributes:b)", Map.of("a", "", "b", ""), false),
        arguments("((attributes:a))", Map.of("a", ""), true),
        // quoted keys, and keys a name could not spell
        arguments("attributes.\"my key\" = \"v\"", Map.of("my key", "v"), true),
        arguments("attributes:\"my key\"", Map.of("my", "v"), false),
        arguments("hasPrefix(attributes.\"my key\", \"v\")", Map.of("my key", "value"), true),
        arguments("attributes.\"type\" = \"email\"", Map.of("type", "email"), true),
        arguments("attributes.\"a\\\"b\" = \"x\"", Map.of("a\"b", "x"), true),
        arguments("attributes.ce-type = \"x\"", Map.of("ce-type", "x"), true),
        arguments("attributes._k9 = \"x\"", Map.of("_k9", "x"), true),
        arguments("attributes.AND = \"x\" AND attributes:NOT", Map.of("AND", "x", "NOT", ""), true),
        // escapes in values
        arguments("attributes.q = \"say \\\"hi\\\"\"", Map.of("q", "say \"hi\""), true),
        arguments("attributes.p = \"C:\\\\dir\"", Map.of("p", "C:\\dir"), true),
        arguments("attributes.p = \"C:\\\\dir\"", Map.of("p", "C:\\\\dir"), false),
        // whitespace is insignificant
        arguments("  attributes . type\t=\n\"email\"  ", Map.of("type", "email"), true),
        arguments("attributes.type=\"email\"AND(attributes:x)", Map.of("type", "email"), false),
        arguments(
            "attributes.type=\"email\"AND(attributes:x)", Map.of("type", "email", "x", ""), true));
  }

  @ParameterizedTest(name = "[{index}] {0} on {1} is {2}")
  @MethodSource("table")
  @DisplayName("each operator, precedence, parentheses, missing headers, quoted keys and escapes")
  void evaluatesOverHeaders(String expression, Map<String, String> headers, boolean expected) {
    MessageFilter filter = MessageFilter.parse(expression);
    Message message = withHeaders(headers);

    assertThat(filter.matches(message)).isEqualTo(expected);
    assertThat(filter.test(message))
        .isEqualTo(expected ? MessageFilter.Verdict.MATCH : MessageFilter.Verdict.NO_MATCH);
  }

  @Test
  @DisplayName("a parsed filter keeps its text and equals another parsed from the same text")
  void keepsItsText() {
    String text = "attributes.type = \"email\" AND NOT attributes:test";
    MessageFilter filter = MessageFilter.parse(text);

    assertThat(filter.expression()).isEqualTo(text);
    assertThat(filter)
        .isEqualTo(MessageFilter.parse(text))
        .hasSameHashCodeAs(MessageFilter.parse(text));
    assertThat(filter).isNotEqualTo(MessageFilter.parse("attributes:test"));
    assertThat(filter).hasToString("MessageFilter[" + text + "]");
  }

  @Test
  @DisplayName("a flat chain of hundreds of conditions parses and evaluates")
  void longFlatChain() {
    String text = "attributes:a AND ".repeat(240) + "attributes:b";
    MessageFilter filter = MessageFilter.parse(text);

    assertThat(filter.matches(withHeaders(Map.of("a", "", "b", "")))).isTrue();
    assertThat(filter.matches(withHeaders(Map.of("a", "")))).isFalse();
  }
}
