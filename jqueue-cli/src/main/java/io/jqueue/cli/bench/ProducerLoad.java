package io.jqueue.cli.bench;

import java.util.function.LongSupplier;

/** A {@link Load} made of {@link Producers} and a count of what was handled. */
final class ProducerLoad implements Load {
  private final Producers producers;
  private final LongSupplier handled;
  private final int copiesPerSend;

  /**
   * @param copiesPerSend how many handlings one send causes (1 for a queue, the number of
   *     subscriptions for a topic)
   */
  ProducerLoad(Producers producers, LongSupplier handled, int copiesPerSend) {
    this.producers = producers;
    this.handled = handled;
    this.copiesPerSend = copiesPerSend;
  }

  @Override
  public void start() {
    producers.start();
  }

  @Override
  public long handled() {
    return handled.getAsLong();
  }

  @Override
  public long expected() {
    return producers.sent() * copiesPerSend;
  }

  @Override
  public void stop() throws InterruptedException {
    producers.stop();
  }
}
