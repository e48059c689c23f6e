package io.jqueue.middleware;

import io.jqueue.ConsumeChain;
import io.jqueue.ConsumeMiddleware;
import io.jqueue.Delivery;

/**
 * Makes the handled message's correlation id (or, when it has none, its id) the handler thread's
 * current id while the handler runs, so that what the handler publishes through {@link
 * CorrelationId} belongs to the same conversation.
 */
public final class CorrelationIdScope implements ConsumeMiddleware {

  private CorrelationIdScope() {}

  /** The consume side of correlation-id propagation. */
  public static CorrelationIdScope create() {
    return new CorrelationIdScope();
  }

  @Override
  public void handle(Delivery delivery, ConsumeChain chain) throws Exception {
    String id = delivery.message().correlationId().orElse(delivery.message().id());
    CorrelationId.callWith(
        id,
        () -> {
          chain.proceed(delivery);
          return null;
        });
  }

  @Override
  public String name() {
    return "correlation-id-scope";
  }
}
