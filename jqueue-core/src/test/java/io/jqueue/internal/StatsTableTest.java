package io.jqueue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.LatencySummary;
import io.jqueue.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatsTableTest {

  private static QueueStats stats(String queue, long base, LatencySummary latency) {
    return QueueStats.builder(queue)
        .ready(base)
        .inFlight(base + 1)
        .delayed(base + 2)
        .published(base + 3)
        .acked(base + 4)
        .failed(base + 5)
        .retried(base + 6)
        .deadLettered(base + 7)
        .expired(base + 8)
        .dropped(base + 9)
        .dlqDepth(base + 10)
        .latency(latency)
        .build();
  }

  @Test
  @DisplayName("format has a header row and one row per queue holding its figures")
  void rows() {
    LatencySummary latency =
        new LatencySummary(
            10,
            Duration.ofNanos(850_000),
            Duration.ofMillis(5),
            Duration.ofNanos(12_300_000),
            Duration.ofMillis(20));

    String table =
        StatsTable.format(
            List.of(
                stats("orders", 1_000, latency), stats("payments.eu", 7, LatencySummary.EMPTY)));

    String[] lines = table.split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0].trim().split("\\s+"))
        .containsExactly(
            "queue",
            "depth",
            "in-flight",
            "delayed",
            "published",
            "consumed",
            "failed",
            "retried",
            "dead-lettered",
            "expired",
            "dropped",
            "dlq",
            "p50",
            "p99");
    assertThat(lines[1].trim().split("\\s+"))
        .containsExactly(
            "orders", "1000", "1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008",
            "1009", "1010", "850us", "12.3ms");
    assertThat(lines[2].trim().split("\\s+"))
        .containsExactly(
            "payments.eu", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "-", "-");
  }

  @Test
  @DisplayName("columns are aligned: every line has the same length and cells end under headers")
  void aligned() {
    String table =
        StatsTable.format(
            List.of(
                stats("a", 123_456_789, LatencySummary.EMPTY),
                stats("a-much-longer-queue-name", 0, LatencySummary.EMPTY)));

    String[] lines = table.split("\n");
    assertThat(lines).extracting(String::length).containsOnly(lines[0].length());
    List<Integer> headerEnds = cellEnds(lines[0]);
    for (int i = 1; i < lines.length; i++) {
      List<Integer> ends = cellEnds(lines[i]);
      // The queue column is left-aligned; every figure column is right-aligned under its header.
      assertThat(ends.subList(1, ends.size()))
          .as("line %d", i)
          .isEqualTo(headerEnds.subList(1, headerEnds.size()));
      assertThat(lines[i]).startsWith(i == 1 ? "a " : "a-much-longer-queue-name ");
    }
  }

  @Test
  @DisplayName("an empty list gives just the header row")
  void headerOnly() {
    assertThat(StatsTable.format(List.of())).startsWith("queue").hasLineCount(1);
  }

  @Test
  @DisplayName("human() shows microseconds, milliseconds to 0.1 and seconds to 0.01")
  void human() {
    assertThat(StatsTable.human(Duration.ofNanos(850_000))).isEqualTo("850us");
    assertThat(StatsTable.human(Duration.ofNanos(12_300_000))).isEqualTo("12.3ms");
    assertThat(StatsTable.human(Duration.ofMillis(4_200))).isEqualTo("4.20s");
    assertThat(StatsTable.human(Duration.ZERO)).isEqualTo("0us");
    assertThat(StatsTable.human(Duration.ofNanos(999_999))).isEqualTo("999us");
    assertThat(StatsTable.human(Duration.ofMillis(1))).isEqualTo("1.0ms");
    assertThat(StatsTable.human(Duration.ofSeconds(1))).isEqualTo("1.00s");
  }

  @Test
  @DisplayName("human() uses a dot as decimal separator whatever the default locale")
  void humanIgnoresLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);

      assertThat(StatsTable.human(Duration.ofNanos(12_300_000))).isEqualTo("12.3ms");
      assertThat(StatsTable.human(Duration.ofMillis(4_200))).isEqualTo("4.20s");
    } finally {
      Locale.setDefault(saved);
    }
  }

  /** The index just past each non-blank cell of a line. */
  private static List<Integer> cellEnds(String line) {
    List<Integer> ends = new ArrayList<>();
    Matcher m = Pattern.compile("\\S+").matcher(line);
    while (m.find()) {
      ends.add(m.end());
    }
    return ends;
  }
}
