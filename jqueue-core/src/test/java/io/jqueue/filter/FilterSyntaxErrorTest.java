package io.jqueue.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.jqueue.ValidationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FilterSyntaxErrorTest {

  static Stream<Arguments> malformed() {
    return Stream.of(
        arguments("attributes.type = email", 18, "a string literal"),
        arguments(
            "attributes.type = \"email",
            24,
            "'\"' (the end of the string literal started at position 18)"),
        arguments(
            "attributes.\"my key",
            18,
            "'\"' (the end of the string literal started at position 11)"),
        arguments("attributes.a = \"C:\\dir\"", 18, "an escape \\\" or \\\\"),
        arguments("attributes:a AND", 16, "a condition"),
        arguments("AND attributes:a", 0, "a condition"),
        arguments("attributes:a AND OR attributes:b", 17, "a condition"),
        arguments("(attributes:a OR attributes:b", 29, "AND, OR or ')'"),
        arguments("attributes:a)", 12, "AND, OR or end of expression"),
        arguments("()", 1, "a condition"),
        arguments("hasSuffix(attributes.a, \"x\")", 0, "a condition"),
        arguments("hasPrefix(attributes:a, \"x\")", 20, "'.' after attributes"),
        arguments("hasPrefix(attributes.a \"x\")", 23, "','"),
        arguments("hasPrefix(attributes.a, \"x\"", 27, "')'"),
        arguments("hasPrefix(\"x\")", 10, "attributes.KEY"),
        arguments("attributes.", 11, "an attribute key"),
        arguments("attributes. = \"x\"", 12, "an attribute key"),
        arguments("attributes:1abc", 11, "an attribute key"),
        arguments("attributes = \"x\"", 11, "'.' or ':' after attributes"),
        arguments("Attributes:a", 0, "a condition"),
        arguments("attributes.a", 12, "'=' or '!='"),
        arguments("attributes.a == \"x\"", 14, "a string literal"),
        arguments("attributes.a ! \"x\"", 13, "'=' or '!='"),
        arguments("attributes:a attributes:b", 13, "AND, OR or end of expression"),
        arguments("attributes:a & attributes:b", 13, "AND, OR or end of expression"),
        arguments("attributes.a = \"x\" \"y\"", 19, "AND, OR or end of expression"),
        arguments("!attributes:a", 0, "a condition"),
        arguments("", 0, "a condition"),
        arguments("   ", 3, "a condition"),
        arguments("attributes:a and attributes:b", 13, "AND, OR or end of expression"),
        arguments("not attributes:a", 0, "a condition"),
        arguments("(attributes:a or attributes:b)", 14, "AND, OR or ')'"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformed")
  @DisplayName("a malformed expression is refused with the position and what was expected there")
  void refusesMalformed(String expression, int position, String expected) {
    FilterSyntaxException e =
        catchThrowableOfType(FilterSyntaxException.class, () -> MessageFilter.parse(expression));

    assertThat(e).as("parse(%s) must fail", expression).isNotNull();
    assertThat(e.position()).isEqualTo(position);
    assertThat(e.expected()).isEqualTo(expected);
    assertThat(e.expression()).isEqualTo(expression);
    assertThat(e)
        .hasMessageStartingWith(
            "expected " + expected + " at position " + position + " in: " + expression);
    assertThat(e).isInstanceOf(ValidationException.class);
  }

  @Test
  @DisplayName("the message names what was found and how to fix it")
  void messageSaysWhatToDo() {
    assertThatThrownBy(() -> MessageFilter.parse("attributes.type = email"))
        .hasMessage(
            "expected a string literal at position 18 in: attributes.type = email"
                + " (found 'email'); write the value in double quotes, for example \"email\"");
    assertThatThrownBy(() -> MessageFilter.parse("attributes:a and attributes:b"))
        .hasMessageContaining("found 'and'")
        .hasMessageEndingWith("keywords are upper-case: write AND");
    assertThatThrownBy(() -> MessageFilter.parse("not attributes:a"))
        .hasMessageEndingWith("keywords are upper-case: write NOT");
    assertThatThrownBy(() -> MessageFilter.parse("hasSuffix(attributes.a, \"x\")"))
        .hasMessageContaining("found unknown function 'hasSuffix'")
        .hasMessageEndingWith("the only function is hasPrefix(attributes.KEY, \"prefix\")");
    assertThatThrownBy(() -> MessageFilter.parse("attributes.a == \"x\""))
        .hasMessageEndingWith("the operators are = and !=, not ==");
    assertThatThrownBy(() -> MessageFilter.parse(" "))
        .hasMessageEndingWith("declare no filter or use MessageFilter.all()");
    assertThatThrownBy(() -> MessageFilter.parse("attributes.a"))
        .hasMessageContaining("found end of expression")
        .hasMessageEndingWith("write attributes:KEY");
  }

  @Test
  @DisplayName("an expression of 4096 characters is accepted and one of 4097 is refused at 4096")
  void lengthLimit() {
    String condition = "attributes:a";
    String atLimit = " ".repeat(MessageFilter.MAX_LENGTH - condition.length()) + condition;
    assertThat(MessageFilter.parse(atLimit).expression()).hasSize(4096);

    FilterSyntaxException e =
        catchThrowableOfType(FilterSyntaxException.class, () -> MessageFilter.parse(" " + atLimit));
    assertThat(e.position()).isEqualTo(4096);
    assertThat(e.expected()).isEqualTo("at most 4096 characters");
    assertThat(e).hasMessageContaining("(found 4097 characters)");
    assertThat(e.getMessage()).hasSizeLessThan(400);
  }

  @Test
  @DisplayName("32 nested parentheses are accepted and the 33rd is refused where it opens")
  void parenthesesDepthLimit() {
    assertThat(MessageFilter.parse("(".repeat(32) + "attributes:a" + ")".repeat(32))).isNotNull();

    FilterSyntaxException e =
        catchThrowableOfType(
            FilterSyntaxException.class,
            () -> MessageFilter.parse("(".repeat(33) + "attributes:a" + ")".repeat(33)));
    assertThat(e.position()).isEqualTo(32);
    assertThat(e.expected()).isEqualTo("at most 32 levels of nesting (parentheses and NOT)");
  }

  @Test
  @DisplayName("32 chained negations are accepted, the 33rd is refused, and NOT, - and ( add up")
  void negationDepthLimit() {
    assertThat(MessageFilter.parse("NOT ".repeat(32) + "attributes:a")).isNotNull();
    assertThat(MessageFilter.parse("-".repeat(32) + "attributes:a")).isNotNull();

    FilterSyntaxException nots =
        catchThrowableOfType(
            FilterSyntaxException.class,
            () -> MessageFilter.parse("NOT ".repeat(33) + "attributes:a"));
    assertThat(nots.position()).isEqualTo(4 * 32);

    FilterSyntaxException mixed =
        catchThrowableOfType(
            FilterSyntaxException.class,
            () -> MessageFilter.parse("NOT (-".repeat(11) + "attributes:a" + ")".repeat(11)));
    assertThat(mixed.position()).isEqualTo(6 * 10 + 5);
    assertThat(mixed.expected()).startsWith("at most 32 levels");
  }

  @Test
  @DisplayName("hostile input fails fast with a syntax error, never a stack overflow")
  void hostileInput() {
    FilterSyntaxException opens =
        catchThrowableOfType(
            FilterSyntaxException.class,
            () -> MessageFilter.parse("(".repeat(MessageFilter.MAX_LENGTH)));
    assertThat(opens.position()).isEqualTo(32);

    FilterSyntaxException huge =
        catchThrowableOfType(
            FilterSyntaxException.class, () -> MessageFilter.parse("NOT ".repeat(1_000_000)));
    assertThat(huge.position()).isEqualTo(MessageFilter.MAX_LENGTH);
  }
}
