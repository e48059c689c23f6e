package io.jqueue.embedded;

import io.jqueue.time.TimeSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work a queue operation decided on under the queue lock but runs after releasing it (handing
 * messages to consumers, waking pull waiters, interrupting handlers), so no user code and no
 * consumer or executor lock is ever taken under a queue lock.
 */
final class Handoffs {
  private static final Logger LOG = LoggerFactory.getLogger(Handoffs.class);

  private List<Runnable> tasks;
  private Instant now;

  /**
   * The time of this operation: the clock is read at the first call and the same instant is
   * returned after, so one operation reads the clock once however many messages it touches.
   */
  Instant now(TimeSource time) {
    if (now == null) {
      now = time.now();
    }
    return now;
  }

  void add(Runnable task) {
    if (tasks == null) {
      tasks = new ArrayList<>(4);
    }
    tasks.add(task);
  }

  /** Runs every task; one failing never stops the others nor reaches the caller. */
  void run() {
    if (tasks == null) {
      return;
    }
    List<Runnable> todo = tasks;
    tasks = null;
    for (Runnable task : todo) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("a jqueue hand-off failed", e);
      }
    }
  }
}
