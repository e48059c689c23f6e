package io.jqueue.bench;

/** Payloads the benchmarks send. */
final class Payloads {
  private Payloads() {}

  /** {@code size} bytes of lower-case letters. */
  static byte[] of(int size) {
    byte[] payload = new byte[size];
    for (int i = 0; i < size; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
    return payload;
  }
}
