package io.jqueue.embedded;

import io.jqueue.internal.Saturating;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The pull API of an {@link EmbeddedQueue}: a receive takes what is ready, or waits as a {@link
 * PullWaiter} that dispatch serves first; a wait that ends empty leaves no waiter behind.
 */
final class PullRequests {
  private final EmbeddedQueue q;

  PullRequests(EmbeddedQueue q) {
    this.q = q;
  }

  List<Lease> receive(int max, Duration wait) {
    Handoffs out = new Handoffs();
    PullWaiter waiter = null;
    List<Lease> taken;
    q.lock.lock();
    try {
      q.checkOpen();
      taken = q.takeLocked(max, null, out);
      if (taken.isEmpty() && !wait.isZero() && !wait.isNegative()) {
        waiter = new PullWaiter(max);
        q.waiters.addLast(waiter);
      }
    } finally {
      q.lock.unlock();
    }
    out.run();
    return waiter == null ? taken : awaitPull(waiter, wait);
  }

  List<Lease> awaitPull(PullWaiter waiter, Duration wait) {
    try {
      return waiter.result.get(Saturating.toNanos(wait), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return abandon(waiter);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return abandon(waiter);
    } catch (java.util.concurrent.ExecutionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  List<Lease> abandon(PullWaiter waiter) {
    q.lock.lock();
    try {
      if (q.waiters.remove(waiter)) {
        return List.of();
      }
    } finally {
      q.lock.unlock();
    }
    try {
      return waiter.result.get(); // completed right after the q.lock was released: keep it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return waiter.result.getNow(List.of());
    } catch (java.util.concurrent.ExecutionException e) {
      throw (RuntimeException) e.getCause();
    }
  }
}
