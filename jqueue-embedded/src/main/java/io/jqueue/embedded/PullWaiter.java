package io.jqueue.embedded;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A {@code receive} call waiting for messages; filled under the queue lock, completed after. */
final class PullWaiter {
  final int max;
  final CompletableFuture<List<Lease>> result = new CompletableFuture<>();

  PullWaiter(int max) {
    this.max = max;
  }
}
