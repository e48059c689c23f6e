package io.jqueue.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Message;
import io.jqueue.filter.MessageFilter.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Checks the parser against {@link RandomFilter}'s own evaluation on thousands of random
 * expressions. The seed is fixed so a failure reproduces; {@code -Djqueue.filter.seed=N} explores
 * others.
 */
class GeneratedFilterTest {
  private static final long SEED = Long.getLong("jqueue.filter.seed", 0x5EED_F117E8L);
  private static final int EXPRESSIONS = 3_000;
  private static final int HEADER_MAPS = 8;
  private static final int MAX_TREE_DEPTH = 6;

  @Test
  @DisplayName("thousands of random expressions parse and agree with a reference evaluation")
  void parserAgreesWithReference() {
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int maps = 0;
    int matched = 0;
    for (int i = 0; i < EXPRESSIONS && failures.size() < 5; i++) {
      RandomFilter tree = RandomFilter.generate(random, MAX_TREE_DEPTH);
      String text = tree.text(random);
      MessageFilter filter;
      try {
        filter = MessageFilter.parse(text);
      } catch (RuntimeException e) {
        failures.add(describe(i, text, null) + " failed to parse: " + e.getMessage());
        continue;
      }
      for (int h = 0; h < HEADER_MAPS; h++) {
        Map<String, String> headers = RandomFilter.headers(random);
        Message message = MessageFilterTest.withHeaders(headers);
        boolean expected = tree.eval(headers);
        Verdict verdict = filter.test(message);
        maps++;
        matched += expected ? 1 : 0;
        if (filter.matches(message) != expected
            || verdict != (expected ? Verdict.MATCH : Verdict.NO_MATCH)) {
          failures.add(describe(i, text, headers) + " gave " + verdict + ", expected " + expected);
        }
      }
    }

    assertThat(failures).as("seed %d", SEED).isEmpty();
    assertThat(maps).isEqualTo(EXPRESSIONS * HEADER_MAPS);
    assertThat(matched).as("both outcomes occur").isBetween(maps / 10, maps - maps / 10);
  }

  @Test
  @DisplayName("random token soup either parses or fails with a syntax error inside the input")
  void tokenSoupFailsCleanly() {
    String[] pieces = {
      "attributes",
      ".",
      ":",
      "k",
      "\"v\"",
      "\"",
      "\\",
      "=",
      "!=",
      "!",
      "(",
      ")",
      ",",
      "-",
      "NOT",
      "AND",
      "OR",
      "and",
      "hasPrefix",
      "x(",
      " ",
      "\t",
      "@",
      "é"
    };
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 5_000 && failures.size() < 5; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(12); n >= 0; n--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      try {
        MessageFilter.parse(text.toString()).matches(MessageFilterTest.withHeaders(Map.of()));
      } catch (FilterSyntaxException e) {
        if (e.position() < 0 || e.position() > text.length()) {
          failures.add(describe(i, text.toString(), null) + " position " + e.position());
        }
      } catch (RuntimeException e) {
        failures.add(describe(i, text.toString(), null) + " threw " + e);
      }
    }

    assertThat(failures).as("seed %d", SEED).isEmpty();
  }

  private static String describe(int index, String text, Map<String, String> headers) {
    return "seed "
        + SEED
        + " expression #"
        + index
        + " <"
        + text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        + ">"
        + (headers == null ? "" : " on " + headers);
  }
}
