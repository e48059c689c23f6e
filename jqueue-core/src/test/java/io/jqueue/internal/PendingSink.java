package io.jqueue.internal;

import io.jqueue.JQueueException;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broker sink the test plays by hand: {@link #sendAsync} records the message and returns a future
 * that stays pending until the test confirms or refuses it; {@link #send} (the synchronous path)
 * records and confirms at once.
 */
final class PendingSink implements MessageSink {
  final List<Message> started = new CopyOnWriteArrayList<>();
  final List<CompletableFuture<PublishReceipt>> pending = new CopyOnWriteArrayList<>();
  final List<Message> sentSynchronously = new CopyOnWriteArrayList<>();

  @Override
  public PublishReceipt send(Message message, Instant deadline) {
    sentSynchronously.add(message);
    return receipt(message);
  }

  @Override
  public CompletableFuture<PublishReceipt> sendAsync(Message message, Instant deadline) {
    CompletableFuture<PublishReceipt> f = new CompletableFuture<>();
    started.add(message);
    pending.add(f);
    return f;
  }

  /** The broker accepts the {@code i}-th message started (0-based). */
  void confirm(int i) {
    pending.get(i).complete(receipt(started.get(i)));
  }

  /** The broker refuses the {@code i}-th message started with {@code error}. */
  void refuse(int i, JQueueException error) {
    pending.get(i).completeExceptionally(error);
  }

  static PublishReceipt receipt(Message m) {
    return new PublishReceipt(m.id(), m.topic(), Instant.now());
  }
}
