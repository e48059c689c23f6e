package io.jqueue.internal;

import io.jqueue.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats queue statistics as a fixed-width text table, for logs and the CLI. */
public final class StatsTable {
  private static final String[] HEADER = {
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
    "p99"
  };

  private StatsTable() {}

  /** The table for {@code stats}, one row per queue, with a header line. */
  public static String format(List<QueueStats> stats) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (QueueStats s : stats) {
      rows.add(
          new String[] {
            s.queue().replaceAll("\\p{Cc}", "?"), // a name from a remote server may hold ESC
            Long.toString(s.ready()),
            Long.toString(s.inFlight()),
            Long.toString(s.delayed()),
            Long.toString(s.published()),
            Long.toString(s.acked()),
            Long.toString(s.failed()),
            Long.toString(s.retried()),
            Long.toString(s.deadLettered()),
            Long.toString(s.expired()),
            Long.toString(s.dropped()),
            Long.toString(s.dlqDepth()),
            s.latency().count() == 0 ? "-" : human(s.latency().p50()),
            s.latency().count() == 0 ? "-" : human(s.latency().p99())
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        String cell = row[i];
        if (i == 0) {
          out.append(cell).append(" ".repeat(widths[i] - cell.length()));
        } else {
          out.append("  ").append(" ".repeat(widths[i] - cell.length())).append(cell);
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** A short human form of a duration: {@code 850us}, {@code 12.3ms}, {@code 4.20s}. */
  public static String human(Duration d) {
    long micros = Saturating.toNanos(d) / 1_000;
    if (micros < 1_000) {
      return micros + "us";
    }
    if (micros < 1_000_000) {
      return String.format(Locale.ROOT, "%.1fms", micros / 1_000.0);
    }
    return String.format(Locale.ROOT, "%.2fs", micros / 1_000_000.0);
  }
}
