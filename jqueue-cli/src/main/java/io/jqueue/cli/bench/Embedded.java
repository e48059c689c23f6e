package io.jqueue.cli.bench;

import io.jqueue.embedded.EmbeddedBroker;
import io.jqueue.embedded.EmbeddedConfig;
import java.time.Duration;
import java.util.UUID;

/** The embedded broker as the bench opens it, and unique names for what it declares. */
final class Embedded {
  private Embedded() {}

  static EmbeddedBroker open() {
    return EmbeddedBroker.create(
        EmbeddedConfig.builder().name("bench").statsReportInterval(Duration.ZERO).build());
  }

  /** {@code jqueue-bench-<what>-<8 random hex digits>}: never an application's own name. */
  static String uniqueName(String what) {
    return "jqueue-bench-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
