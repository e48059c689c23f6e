package io.jqueue.middleware;

import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** The end of a publish chain for middleware tests: records what reached it, answers as told. */
final class ChainStub implements PublishChain {
  final List<Message> received = new CopyOnWriteArrayList<>();
  private final Instant deadline;
  private volatile Function<Message, PublishReceipt> answer =
      m -> new PublishReceipt(m.id(), m.topic(), Instant.now());

  ChainStub() {
    this(Duration.ofSeconds(30));
  }

  ChainStub(Duration timeout) {
    this.deadline = Instant.now().plus(timeout);
  }

  /** Answers every later proceed with {@code answer} (which may throw). */
  ChainStub answering(Function<Message, PublishReceipt> answer) {
    this.answer = answer;
    return this;
  }

  @Override
  public PublishReceipt proceed(Message message) {
    received.add(message);
    return answer.apply(message);
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public String publisherId() {
    return "test-publisher";
  }
}
