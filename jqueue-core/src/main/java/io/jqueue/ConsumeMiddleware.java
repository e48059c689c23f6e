package io.jqueue;

import java.util.Objects;

/**
 * One link of the consume chain, around the handler: it may inspect or replace the delivery (for
 * example to decompress it, see {@link Delivery#withMessage}), observe the outcome, or decide not
 * to call the handler at all (the message is then acknowledged).
 *
 * <p>Contract, enforced by the chain: {@link ConsumeChain#proceed} is called at most once. The
 * first listed middleware runs outermost. jqueue's own outcome step (ack, retry, dead-letter) runs
 * outside every middleware, so a middleware sees the handler's exception before it is settled.
 */
@FunctionalInterface
public interface ConsumeMiddleware {

  /** Handles {@code delivery}, normally by calling {@code chain.proceed(delivery)}. */
  void handle(Delivery delivery, ConsumeChain chain) throws Exception;

  /** The name used in errors and logs; lambdas should be wrapped with {@link #named}. */
  default String name() {
    return getClass().getSimpleName();
  }

  /** Gives a middleware (typically a lambda) a name for errors and logs. */
  static ConsumeMiddleware named(String name, ConsumeMiddleware middleware) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(middleware, "middleware");
    return new ConsumeMiddleware() {
      @Override
      public void handle(Delivery delivery, ConsumeChain chain) throws Exception {
        middleware.handle(delivery, chain);
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }
}
