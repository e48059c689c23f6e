/**
 * jqueue's API ({@code io.jqueue}), codecs, subscription filters, Micrometer export, the clock and
 * the broker SPI. The implementation package {@code io.jqueue.internal} is exported to jqueue's own
 * modules only: no application can compile against it.
 */
module io.jqueue {
  requires transitive org.slf4j;
  requires transitive com.fasterxml.jackson.databind;
  requires transitive micrometer.core;
  requires transitive micrometer.observation;
  requires micrometer.commons;
  requires io.github.resilience4j.core;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.circuitbreaker;

  exports io.jqueue;
  exports io.jqueue.codec;
  exports io.jqueue.filter;
  exports io.jqueue.metrics;
  exports io.jqueue.middleware;
  exports io.jqueue.publishers;
  exports io.jqueue.spi;
  exports io.jqueue.time;
  exports io.jqueue.internal to
      io.jqueue.embedded,
      io.jqueue.rabbitmq,
      io.jqueue.testkit,
      io.jqueue.admin,
      io.jqueue.cli;
}
