package io.jqueue.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a consumer's handler work: at most {@code concurrency} items at once on an executor, the
 * rest waiting in a buffer. A worker keeps taking buffered items until the buffer is empty, so a
 * busy consumer costs one executor task per burst, not per message. Thread-safe.
 *
 * <p>A task that throws does not stop its worker; an {@link Error} ends the worker's thread after a
 * fresh worker took over the remaining buffered items. If the executor refuses a task, the workers
 * stop taking items (an executor that refuses once will refuse again) and every item not yet
 * started goes to the {@code refused} callback, so the owner can return it to its queue.
 *
 * @param <T> what one unit of work is (a lease, a delivery)
 */
public final class HandlerWorkers<T> {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerWorkers.class);

  private final int concurrency;
  private final Executor executor;
  private final Consumer<T> task;
  private final Consumer<T> refused;
  private final ArrayDeque<T> buffer = new ArrayDeque<>();
  private final Set<T> running = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<T> assigned = Collections.newSetFromMap(new IdentityHashMap<>());
  private int workers;
  private boolean closed;

  /**
   * @param task runs one item; must not throw (exceptions are the task's own business)
   * @param refused receives items that will never run because the executor refused work
   */
  public HandlerWorkers(int concurrency, Executor executor, Consumer<T> task, Consumer<T> refused) {
    this.concurrency = concurrency;
    this.executor = Objects.requireNonNull(executor, "executor");
    this.task = Objects.requireNonNull(task, "task");
    this.refused = Objects.requireNonNull(refused, "refused");
  }

  /**
   * Takes {@code item}: runs it now if fewer than {@code concurrency} run, else buffers it. Returns
   * false, without taking it, once {@link #close()} was called or the executor refused.
   */
  public boolean offer(T item) {
    synchronized (this) {
      if (closed) {
        return false;
      }
      if (workers >= concurrency) {
        buffer.addLast(item);
        return true;
      }
      workers++;
    }
    start(item);
    return true;
  }

  private void start(T first) {
    synchronized (this) {
      assigned.add(first);
    }
    try {
      executor.execute(() -> work(first));
    } catch (RuntimeException e) { // RejectedExecutionException, or any executor failure
      LOG.error("the handler executor refused work; this consumer stops taking messages", e);
      List<T> notStarted = new ArrayList<>();
      synchronized (this) {
        assigned.remove(first);
        workers--;
        closed = true;
        notStarted.add(first);
        notStarted.addAll(buffer);
        buffer.clear();
        notifyAll();
      }
      notStarted.forEach(refused);
    }
  }

  private void work(T first) {
    T item = first;
    synchronized (this) {
      assigned.remove(first);
      running.add(first);
    }
    while (item != null) {
      Throwable failure = null;
      try {
        task.accept(item);
      } catch (Throwable t) {
        failure = t;
      }
      T next;
      synchronized (this) { // one monitor round trip per item: finish this one, take the next
        running.remove(item);
        next = buffer.pollFirst();
        if (next == null) {
          workers--;
          notifyAll();
        } else {
          running.add(next);
        }
      }
      if (failure instanceof Error) {
        if (next != null) {
          synchronized (this) {
            running.remove(next);
          }
          start(next); // this worker dies with the error: a fresh one takes over its slot
        }
        throw (Error) failure;
      }
      if (failure != null) {
        LOG.error("a handler task failed unexpectedly; the worker goes on", failure);
      }
      item = next;
    }
  }

  /** Stops taking items; returns the buffered ones, which will not run. Idempotent. */
  public synchronized List<T> close() {
    closed = true;
    List<T> drained = new ArrayList<>(buffer);
    buffer.clear();
    return drained;
  }

  /** Whether {@link #close()} was called or the executor refused work. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Waits until no worker runs, or until {@code deadline}; returns the items not finished then:
   * running, or handed to the executor but not started.
   */
  public synchronized List<T> awaitIdle(Instant deadline) {
    try {
      long left;
      while (workers > 0 && (left = Saturating.millisUntil(Instant.now(), deadline)) > 0) {
        wait(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<T> unfinished = new ArrayList<>(running);
    unfinished.addAll(assigned);
    return unfinished;
  }

  /** How many items are running, about to run, or buffered. */
  public synchronized int holding() {
    return buffer.size() + running.size() + assigned.size();
  }
}
