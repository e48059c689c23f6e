package io.jqueue;

import java.util.Objects;

/**
 * One link of the publish chain: it sees the message on its way to the broker and the receipt on
 * the way back.
 *
 * <p>Contract, enforced by the chain: to return normally a middleware must return the receipt of a
 * successful {@link PublishChain#proceed} call (it may change the message first, call proceed more
 * than once to retry, or throw to refuse). Middlewares run in the order they are listed: the first
 * listed is outermost.
 */
@FunctionalInterface
public interface PublishMiddleware {

  /** Handles {@code message}, normally by returning {@code chain.proceed(message)}. */
  PublishReceipt publish(Message message, PublishChain chain);

  /** The name used in errors and logs; lambdas should be wrapped with {@link #named}. */
  default String name() {
    return getClass().getSimpleName();
  }

  /** Gives a middleware (typically a lambda) a name for errors and logs. */
  static PublishMiddleware named(String name, PublishMiddleware middleware) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(middleware, "middleware");
    return new PublishMiddleware() {
      @Override
      public PublishReceipt publish(Message message, PublishChain chain) {
        return middleware.publish(message, chain);
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
