package io.jqueue.time;

import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A clock that moves only when told to, for deterministic tests of TTLs, leases and backoff: {@link
 * #advance} moves time forward and runs every task that falls due, in order, on the calling thread.
 * Thread-safe.
 *
 * <pre>{@code
 * ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
 * Broker broker = EmbeddedBroker.create(EmbeddedConfig.builder().timeSource(time).build());
 * ...
 * time.advance(Duration.ofSeconds(30)); // leases of 30 s expire now
 * }</pre>
 *
 * <p>A broker that talks to a server ({@code RabbitMqBroker}) runs what it decides itself on this
 * clock too (leases, in-process backoff, expiry checks) and hands the work that follows to its own
 * threads, so it may still be under way when {@link #advance} returns; what the server decides (its
 * queue TTLs, the delay queues of retries) keeps real time.
 */
public final class ManualTimeSource implements TimeSource {
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private Instant now;
  private long sequence;

  /** A clock that starts at {@code start}. */
  public ManualTimeSource(Instant start) {
    this.now = start;
  }

  /** A clock that starts at the current real time. */
  public ManualTimeSource() {
    this(Instant.now());
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t =
        new Task(
            Saturating.plus(now, delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
    tasks.add(t);
    return () -> {
      synchronized (ManualTimeSource.this) {
        tasks.remove(t);
      }
    };
  }

  /**
   * Moves the clock forward by {@code duration}, running every task due by then in time order
   * (tasks they schedule run too, if due). Returns the new time.
   */
  public Instant advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward; got " + duration);
    }
    Instant target;
    synchronized (this) {
      target = Saturating.plus(now, duration);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due.isAfter(target)) {
          now = target;
          return target;
        }
        tasks.poll();
        if (next.due.isAfter(now)) {
          now = next.due;
        }
      }
      next.task.run();
    }
  }

  /** Runs every task already due without moving the clock. */
  public void runDueTasks() {
    advance(Duration.ZERO);
  }

  /** How many tasks are waiting. */
  public synchronized int pendingTasks() {
    return tasks.size();
  }

  private record Task(Instant due, long sequence, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }
}
