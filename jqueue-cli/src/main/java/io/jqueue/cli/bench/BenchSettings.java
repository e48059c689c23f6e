package io.jqueue.cli.bench;

import java.time.Duration;

/**
 * What {@code jqueue bench} was asked for: payload size, round lengths and counts, thread counts
 * (null producers or consumers: each scenario's own variants) and the RabbitMQ URI.
 */
record BenchSettings(
    int size,
    Duration duration,
    Duration warmup,
    int rounds,
    Integer producers,
    Integer consumers,
    int concurrency,
    String brokerUri) {

  /** A fresh payload of {@link #size()} bytes. */
  byte[] payload() {
    byte[] payload = new byte[size];
    for (int i = 0; i < size; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
    return payload;
  }
}
