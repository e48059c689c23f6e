package io.jqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * One link of the consume chain, around the handler: it may inspect or replace the delivery (for
 * example to decompress it, see {@link Delivery#withMessage}), observe the outcome, or decide not
 * to call the handler at all (the message is then acknowledged).
 *
 * <p>Contract, enforced by the chain: {@link ConsumeChain#proceed} is called at most once. The
 * first listed middleware runs outermost. jqueue's own outcome step (ack, retry, dead-letter) is
 * the innermost link, right around the handler: when {@code proceed} returns or throws, the
 * delivery is already settled ({@link Delivery#isSettled()}), and a middleware sees the handler's
 * exception after it was recorded. An exception a middleware throws itself (for example a {@link
 * CodecException} from a decompressing middleware) is settled by the same rule once the chain
 * returns; a middleware that does not call {@code proceed} has the message acknowledged.
 *
 * <p>Pulled deliveries ({@link Broker#receive(String, ConsumerOptions, int, Duration)}) pass
 * through the same middlewares, with the caller in the handler's place: what a middleware does
 * before {@code proceed} applies to the delivery the caller gets; {@code proceed} returns at once.
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
