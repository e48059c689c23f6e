package io.jqueue.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints bench rows as an aligned text table; the notes column says what each ratio compares. */
final class ResultTable {
  private static final String[] HEADERS = {
    "scenario",
    "variant",
    "msgs/s",
    "p50/p99/p99.9 us",
    "CPU us/msg",
    "baseline msgs/s",
    "ratio",
    "notes"
  };

  private ResultTable() {}

  static void print(List<Result> rows, PrintWriter out) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADERS);
    rows.forEach(r -> cells.add(cells(r)));
    int[] widths = new int[HEADERS.length];
    for (String[] line : cells) {
      for (int i = 0; i < line.length - 1; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : cells) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        boolean numeric = i >= 2 && i <= 6;
        String cell = line[i];
        String pad = " ".repeat(i < line.length - 1 ? widths[i] - cell.length() : 0);
        text.append(numeric ? pad + cell : cell + pad).append(i < line.length - 1 ? "  " : "");
      }
      out.println(text.toString().stripTrailing());
    }
    out.flush();
  }

  private static String[] cells(Result r) {
    if (r.skipped() != null) {
      return new String[] {r.scenario(), "-", "-", "-", "-", "-", "-", "skipped: " + r.skipped()};
    }
    return new String[] {
      r.scenario(),
      r.variant(),
      whole(r.msgsPerSec()),
      latencies(r.p50Micros(), r.p99Micros(), r.p999Micros()),
      r.cpuMicrosPerMsg() == null ? "-" : format("%.2f", r.cpuMicrosPerMsg()),
      whole(r.baselineMsgsPerSec()),
      r.ratio() == null ? "-" : format("%.2f", r.ratio()),
      notes(r)
    };
  }

  private static String notes(Result r) {
    StringBuilder notes = new StringBuilder("vs " + r.baseline());
    if (r.baselineP99Micros() != null) {
      notes.append(
          " ("
              + latencies(r.baselineP50Micros(), r.baselineP99Micros(), r.baselineP999Micros())
              + " us)");
    }
    if (r.bytesPerMsg() != null) {
      notes.append(format(": %.0f vs %.0f B/msg", r.bytesPerMsg(), r.baselineBytesPerMsg()));
    }
    if (r.startupMillis() != null) {
      notes.append(format(": %.0f vs %.0f ms", r.startupMillis(), r.baselineStartupMillis()));
    }
    return notes.append("; ").append(r.ratioOf()).toString();
  }

  private static String whole(Double value) {
    return value == null ? "-" : format("%,.0f", value);
  }

  private static String latencies(Double p50, Double p99, Double p999) {
    if (p50 == null) {
      return "-";
    }
    return micros(p50) + "/" + micros(p99) + "/" + micros(p999);
  }

  private static String micros(double value) {
    return value < 100 ? format("%.1f", value) : format("%.0f", value);
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
