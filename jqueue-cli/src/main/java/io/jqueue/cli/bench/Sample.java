package io.jqueue.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * What one round of one series measured; a field is null where the round does not measure it.
 * Latencies are in microseconds, CPU time is the whole process's per message.
 */
record Sample(
    Double msgsPerSec,
    Double cpuMicrosPerMsg,
    Double p50Micros,
    Double p99Micros,
    Double p999Micros,
    Double bytesPerMsg,
    Double millis) {

  static Sample throughput(long messages, long elapsedNanos, long cpuNanos) {
    return new Sample(
        messages * 1e9 / elapsedNanos, cpuNanos / 1e3 / messages, null, null, null, null, null);
  }

  /**
   * A round that measured latencies: its rate, CPU per message (null where the sender spins, which
   * would measure the pacing) and the percentiles of {@code nanos}.
   */
  static Sample latency(long messages, long elapsedNanos, Double cpuMicros, Histogram nanos) {
    return new Sample(
        messages * 1e9 / elapsedNanos,
        cpuMicros,
        nanos.getValueAtPercentile(50) / 1e3,
        nanos.getValueAtPercentile(99) / 1e3,
        nanos.getValueAtPercentile(99.9) / 1e3,
        null,
        null);
  }

  static Sample bytes(double bytesPerMsg) {
    return new Sample(null, null, null, null, null, bytesPerMsg, null);
  }

  static Sample millis(double millis) {
    return new Sample(null, null, null, null, null, null, millis);
  }

  /** The median of each field over {@code rounds}. */
  static Sample median(List<Sample> rounds) {
    return new Sample(
        median(rounds, Sample::msgsPerSec),
        median(rounds, Sample::cpuMicrosPerMsg),
        median(rounds, Sample::p50Micros),
        median(rounds, Sample::p99Micros),
        median(rounds, Sample::p999Micros),
        median(rounds, Sample::bytesPerMsg),
        median(rounds, Sample::millis));
  }

  private static Double median(List<Sample> rounds, Function<Sample, Double> field) {
    List<Double> values = new ArrayList<>();
    for (Sample s : rounds) {
      Double v = field.apply(s);
      if (v != null) {
        values.add(v);
      }
    }
    if (values.isEmpty()) {
      return null;
    }
    values.sort(null);
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }
}
