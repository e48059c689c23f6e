package io.jqueue.internal;

import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The publishers a broker handed out, so closing the broker closes them. Thread-safe. */
public final class PublisherRegistry {
  private final Set<DefaultPublisher> open = ConcurrentHashMap.newKeySet();
  private DefaultPublisher shared; // guarded by this

  /** A publisher sending to {@code sink}, registered until it is closed. */
  public Publisher open(PublisherOptions options, MessageSink sink) {
    DefaultPublisher[] self = new DefaultPublisher[1];
    self[0] = new DefaultPublisher(options, sink, () -> open.remove(self[0]));
    open.add(self[0]);
    return self[0];
  }

  /**
   * The broker's shared default publisher, made on first use: the same instance for every caller,
   * so asking for it per request costs nothing. Closing it does nothing; {@link #closeAll} does.
   */
  public Publisher shared(MessageSink sink) {
    synchronized (this) {
      if (shared == null) {
        shared =
            new DefaultPublisher(
                PublisherOptions.builder().id("default").build(), sink, () -> {}, true);
        open.add(shared);
      }
      return shared;
    }
  }

  /** Closes every open publisher, the shared one included, each waiting at most {@code timeout}. */
  public void closeAll(Duration timeout) {
    for (DefaultPublisher p : List.copyOf(open)) {
      p.shutdown(timeout);
    }
  }
}
