package io.jqueue.internal;

import io.jqueue.Health;
import io.jqueue.HealthListener;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells {@link HealthListener}s when a health changes: its owner calls {@link #refresh()} whenever
 * the health may have changed, and each change reaches the listeners on a thread of the notifier's
 * own, in order. A flood of changes waiting for a slow listener is bounded: past {@value
 * #MAX_PENDING} the older ones are skipped, the newest always arrives. Thread-safe.
 */
public final class HealthNotifier {
  static final int MAX_PENDING = 64;
  private static final Logger LOG = LoggerFactory.getLogger(HealthNotifier.class);

  private final Supplier<Health> source;
  private final List<Entry> listeners = new CopyOnWriteArrayList<>();
  private final ThreadPoolExecutor thread;
  private final Object lock = new Object();
  private final ArrayDeque<Health> pending = new ArrayDeque<>(); // by lock
  private Health seen; // by lock: the newest health queued, or null before the first look
  private Health told; // by lock: the health the listeners were last told about
  private boolean draining; // by lock
  private boolean closed; // by lock

  /**
   * A notifier of {@code source}'s changes, whose thread is named after {@code name}. {@code
   * source} is first read at the first {@link #refresh} or {@link #add}, so an owner may pass a
   * health that works only once it is fully built.
   */
  public HealthNotifier(String name, Supplier<Health> source) {
    this.source = Objects.requireNonNull(source, "source");
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), // holds one drain task at most (see draining)
            new NamedThreadFactory("jqueue-health-" + name));
    this.thread.allowCoreThreadTimeOut(true);
  }

  /**
   * Reads the health and queues the news for the listeners if it changed. The owner calls it after
   * anything that may change its health, never while holding a lock the health's source takes.
   */
  public void refresh() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      Health now = source.get();
      if (seen == null) {
        seen = now;
        told = now;
        return;
      }
      if (now.equals(seen)) {
        return;
      }
      seen = now;
      if (pending.size() >= MAX_PENDING) {
        pending.pollLast(); // skip one in-between state; the newest still arrives
      }
      pending.addLast(now);
      if (!draining) {
        draining = true;
        thread.execute(this::drain);
      }
    }
  }

  /** Adds {@code listener}; it hears of changes from now on. */
  public HealthListener.Registration add(HealthListener listener) {
    Entry entry = new Entry(Objects.requireNonNull(listener, "listener"));
    synchronized (lock) {
      if (seen == null && !closed) {
        seen = source.get();
        told = seen;
      }
    }
    listeners.add(entry);
    return () -> listeners.remove(entry);
  }

  /** Stops taking news; changes already queued are still delivered, then the thread ends. */
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    thread.shutdown();
  }

  private void drain() {
    boolean done = false;
    try {
      while (true) {
        Health previous;
        Health next;
        synchronized (lock) {
          next = pending.pollFirst();
          if (next == null) {
            draining = false;
            done = true;
            return;
          }
          previous = told;
          told = next;
        }
        if (!next.equals(previous)) {
          for (Entry e : listeners) {
            e.call(previous, next);
          }
        }
      }
    } finally {
      if (!done) {
        synchronized (lock) {
          draining = false; // a listener's fatal error: let the next change start a new drain
        }
      }
    }
  }

  /** One registration; removed by identity, so one listener may be added twice. */
  private static final class Entry {
    final HealthListener listener;

    Entry(HealthListener listener) {
      this.listener = listener;
    }

    void call(Health previous, Health current) {
      try {
        listener.onChange(previous, current);
      } catch (RuntimeException | LinkageError | AssertionError e) {
        LOG.warn("health listener {} threw on {} -> {}; ignored", listener, previous, current, e);
      }
    }
  }
}
