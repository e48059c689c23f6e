package io.jqueue.internal;

import io.jqueue.BrokerClosedException;
import io.jqueue.Health;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The publishers a broker handed out, so closing the broker closes them; none is handed out once
 * {@link #closeAll} began. Thread-safe.
 */
public final class PublisherRegistry {
  private final Set<DefaultPublisher> open = ConcurrentHashMap.newKeySet();
  private final String brokerName;
  private final Supplier<Map<String, String>> brokerDefaults;
  private final Supplier<Health> brokerHealth;
  private DefaultPublisher shared; // guarded by this
  private boolean closed; // guarded by this

  /**
   * A registry for the broker {@code brokerName} (named in the error after it closed) whose
   * publishers add the broker's {@code defaultHeaders} (read when a publisher is made) under their
   * own, first in their chain, and report {@code brokerHealth} as part of their own.
   */
  public PublisherRegistry(
      String brokerName,
      Supplier<Map<String, String>> defaultHeaders,
      Supplier<Health> brokerHealth) {
    this.brokerName = brokerName;
    this.brokerDefaults = defaultHeaders;
    this.brokerHealth = brokerHealth;
  }

  /**
   * A publisher sending to {@code sink}, registered until it is closed.
   *
   * @throws BrokerClosedException when the broker is closing
   */
  public synchronized Publisher open(PublisherOptions options, MessageSink sink) {
    checkOpen();
    DefaultPublisher[] self = new DefaultPublisher[1];
    self[0] =
        new DefaultPublisher(
            options, brokerDefaults.get(), sink, brokerHealth, () -> open.remove(self[0]), false);
    open.add(self[0]);
    return self[0];
  }

  private void checkOpen() {
    if (closed) {
      throw new BrokerClosedException("the " + brokerName + " is closed");
    }
  }

  /**
   * The broker's shared default publisher, made on first use: the same instance for every caller,
   * so asking for it per request costs nothing. Closing it does nothing; {@link #closeAll} does.
   */
  public Publisher shared(MessageSink sink) {
    synchronized (this) {
      checkOpen();
      if (shared == null) {
        shared =
            new DefaultPublisher(
                PublisherOptions.builder().id("default").build(),
                brokerDefaults.get(),
                sink,
                brokerHealth,
                () -> {},
                true);
        open.add(shared);
      }
      return shared;
    }
  }

  /** Closes every open publisher, the shared one included, each waiting at most {@code timeout}. */
  public void closeAll(Duration timeout) {
    synchronized (this) {
      closed = true;
    }
    for (DefaultPublisher p : List.copyOf(open)) {
      p.shutdown(timeout);
    }
  }
}
