package io.jqueue;

/** The rest of the consume chain (more middleware, then the handler) for one middleware. */
@FunctionalInterface
public interface ConsumeChain {

  /** Passes {@code delivery} on; throws what the handler or a later middleware throws. */
  void proceed(Delivery delivery) throws Exception;
}
