package io.jqueue.cli.bench;

import java.util.function.Function;

/** What a row's ratio (jqueue / baseline) compares, and which way is better. */
enum Metric {
  THROUGHPUT("msgs/s", true, Sample::msgsPerSec),
  P99_LATENCY("p99 latency", false, Sample::p99Micros),
  BYTES_PER_MESSAGE("heap bytes per message", false, Sample::bytesPerMsg),
  STARTUP_MILLIS("ms from main() to the first message handled", false, Sample::millis);

  private final String label;
  private final boolean higherIsBetter;
  private final Function<Sample, Double> field;

  Metric(String label, boolean higherIsBetter, Function<Sample, Double> field) {
    this.label = label;
    this.higherIsBetter = higherIsBetter;
    this.field = field;
  }

  Double of(Sample sample) {
    return field.apply(sample);
  }

  /** For example {@code "ratio of msgs/s, higher is better"}. */
  String describe() {
    return "ratio of " + label + ", " + (higherIsBetter ? "higher" : "lower") + " is better";
  }
}
