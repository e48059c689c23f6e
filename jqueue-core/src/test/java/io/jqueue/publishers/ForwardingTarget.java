package io.jqueue.publishers;

import io.jqueue.BatchResult;
import io.jqueue.Message;
import io.jqueue.PublishReceipt;
import io.jqueue.Publisher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A publisher for tests whose every method refuses unless a subclass overrides it. */
class ForwardingTarget implements Publisher {
  @Override
  public String id() {
    return "target";
  }

  @Override
  public PublishReceipt publish(Message message) {
    throw new UnsupportedOperationException();
  }

  @Override
  public PublishReceipt publish(Message message, Duration timeout) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message) {
    throw new UnsupportedOperationException();
  }

  @Override
  public BatchResult publishAll(List<Message> messages) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close(Duration timeout) {}

  @Override
  public io.jqueue.Health health() {
    return io.jqueue.Health.up();
  }
}
