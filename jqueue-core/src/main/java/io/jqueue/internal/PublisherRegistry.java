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

  /** A publisher sending to {@code sink}, registered until it is closed. */
  public Publisher open(PublisherOptions options, MessageSink sink) {
    DefaultPublisher[] self = new DefaultPublisher[1];
    self[0] = new DefaultPublisher(options, sink, () -> open.remove(self[0]));
    open.add(self[0]);
    return self[0];
  }

  /** Closes every open publisher, each waiting at most {@code timeout}. */
  public void closeAll(Duration timeout) {
    for (DefaultPublisher p : List.copyOf(open)) {
      p.close(timeout);
    }
  }
}
