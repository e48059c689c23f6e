/** A JUnit 5 extension giving each test a fresh embedded broker ({@code io.jqueue.junit}). */
module io.jqueue.junit {
  requires transitive io.jqueue;
  requires transitive io.jqueue.embedded;
  requires transitive org.junit.jupiter.api;

  exports io.jqueue.junit;
}
