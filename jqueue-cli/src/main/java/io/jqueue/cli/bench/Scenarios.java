package io.jqueue.cli.bench;

import java.util.List;

/** Every {@code jqueue bench} scenario, in the order they run. */
final class Scenarios {
  private Scenarios() {}

  static List<Scenario> all() {
    return List.of(
        new EmbeddedThroughput(),
        new EmbeddedLatency(),
        new EmbeddedMemory(),
        new Startup(),
        new TopicFanout(),
        new RabbitPublish(),
        new RabbitRoundtrip(),
        new RabbitDrain());
  }
}
