/** The broker contract suite every jqueue broker passes (JUnit 5). */
module io.jqueue.testkit {
  requires transitive io.jqueue;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires awaitility;
  requires micrometer.observation;
  requires micrometer.tracing;
  requires micrometer.tracing.test;

  exports io.jqueue.testkit;

  opens io.jqueue.testkit to
      org.junit.platform.commons;
}
