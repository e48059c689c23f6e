package io.jqueue.bench;

import io.jqueue.embedded.EmbeddedBroker;
import io.jqueue.embedded.EmbeddedConfig;
import java.time.Duration;

/** The embedded broker as the benchmarks open it: no periodic stats log. */
final class Brokers {
  private Brokers() {}

  static EmbeddedBroker embedded() {
    return EmbeddedBroker.create(
        EmbeddedConfig.builder().name("jmh").statsReportInterval(Duration.ZERO).build());
  }
}
