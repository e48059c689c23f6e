package io.jqueue.internal;

import io.jqueue.BrokerClosedException;
import io.jqueue.Publisher;
import io.jqueue.Requester;
import io.jqueue.RequesterOptions;
import io.jqueue.ValidationException;
import io.jqueue.spi.RequestReply;
import io.jqueue.time.TimeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The requesters a broker handed out, by id, so closing the broker closes them; none is handed out
 * once {@link #closeAll} began, and no two open ones share an id (the second would take the first's
 * replies). Thread-safe.
 */
public final class Requesters {
  private final String brokerName;
  private final Map<String, Requester> open = new LinkedHashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  /** The registry of the broker {@code brokerName}, named in errors. */
  public Requesters(String brokerName) {
    this.brokerName = brokerName;
  }

  /**
   * Opens a requester with {@code options} carried by {@code transport}, its timeouts on {@code
   * clock}, its publisher from {@code publishers}; registered until it closes.
   *
   * @throws BrokerClosedException when the broker is closing
   * @throws ValidationException when an open requester has the same id
   */
  public synchronized Requester open(
      RequesterOptions options,
      TimeSource clock,
      RequestReply transport,
      Function<MessageSink, Publisher> publishers) {
    if (closed) {
      throw new BrokerClosedException("the " + brokerName + " is closed");
    }
    String id = options.id();
    if (open.containsKey(id)) {
      throw new ValidationException(
          "a requester with id '"
              + id
              + "' is already open on the "
              + brokerName
              + "; close it first or choose another id");
    }
    Requester r =
        DefaultRequester.open(
            options,
            clock,
            replies -> transport.openRequester(options, replies),
            publishers,
            () -> forget(id));
    open.put(id, r);
    return r;
  }

  private synchronized void forget(String id) {
    open.remove(id);
  }

  /** Closes every open requester, failing the requests they wait for. */
  public void closeAll() {
    List<Requester> all;
    synchronized (this) {
      closed = true;
      all = List.copyOf(open.values());
    }
    all.forEach(Requester::close);
  }
}
