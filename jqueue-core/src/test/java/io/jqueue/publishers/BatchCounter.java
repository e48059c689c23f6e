package io.jqueue.publishers;

import io.jqueue.BatchResult;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A publisher for tests that records through a RecordingPublisher and notes each batch's size. */
final class BatchCounter implements Publisher {
  final RecordingPublisher recorder = RecordingPublisher.create();
  final List<Integer> batches = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  @Override
  public String id() {
    return "counter";
  }

  @Override
  public PublishReceipt publish(Message message) {
    return recorder.publish(message);
  }

  @Override
  public PublishReceipt publish(Message message, Duration timeout) {
    return recorder.publish(message, timeout);
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message) {
    return recorder.publishAsync(message);
  }

  @Override
  public BatchResult publishAll(List<Message> messages) {
    batches.add(messages.size());
    return recorder.publishAll(messages);
  }

  @Override
  public void close(Duration timeout) {
    closed = true;
  }

  @Override
  public io.jqueue.Health health() {
    return recorder.health();
  }
}
