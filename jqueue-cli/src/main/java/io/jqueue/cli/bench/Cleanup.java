package io.jqueue.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the bench must undo (queues and topics it declared), run once each: when the scenario
 * finishes, or from a shutdown hook when the JVM stops early (Ctrl-C).
 */
final class Cleanup {
  private final List<Step> steps = new ArrayList<>();
  private final Thread hook = new Thread(this::runAll, "jqueue-bench-cleanup");

  /** One thing to undo; {@link #close()} does it now (at most once). */
  final class Step implements AutoCloseable {
    private final AtomicBoolean done = new AtomicBoolean();
    private final Runnable action;

    private Step(Runnable action) {
      this.action = action;
    }

    @Override
    public void close() {
      if (done.compareAndSet(false, true)) {
        try {
          action.run();
        } catch (RuntimeException e) {
          // the broker may already be gone (Ctrl-C, connection lost): nothing more to undo
        }
      }
    }
  }

  /** Registers the shutdown hook. */
  Cleanup install() {
    Runtime.getRuntime().addShutdownHook(hook);
    return this;
  }

  /** Runs whatever is left and removes the shutdown hook (unless it is what is running). */
  void uninstall() {
    runAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or has run
    }
  }

  /** Registers {@code action}, to close when the thing it undoes is no longer needed. */
  synchronized Step add(Runnable action) {
    Step step = new Step(action);
    steps.add(step);
    return step;
  }

  private void runAll() {
    List<Step> pending;
    synchronized (this) {
      pending = new ArrayList<>(steps);
      steps.clear();
    }
    pending.forEach(Step::close);
  }
}
