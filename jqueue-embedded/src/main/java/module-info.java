/** The in-process broker ({@code io.jqueue.embedded.EmbeddedBroker}). */
module io.jqueue.embedded {
  requires transitive io.jqueue;

  exports io.jqueue.embedded;
}
