package io.jqueue;

import java.util.concurrent.CompletableFuture;

/**
 * A {@link PublishMiddleware} that can also run on the pipelined path, where {@link
 * Publisher#publishAll} and {@link Publisher#publishAsync} send many messages before the first is
 * confirmed. A publisher pipelines only when every middleware of its chain is one of these; a
 * single plain {@code PublishMiddleware} (such as {@link io.jqueue.middleware.Retry} or {@link
 * io.jqueue.middleware.CircuitBreaker}, which decide from each outcome before the next attempt)
 * makes it publish one message at a time, each confirmed before the next is sent. {@link
 * Publisher#publish} always takes the synchronous {@link #publish} path.
 *
 * <p>Contract, enforced by the chain as on the synchronous path: the returned future must complete
 * with the receipt of a successful {@link AsyncPublishChain#proceed} (a middleware may change the
 * message first, observe the outcome, or refuse by throwing or returning a failed future). Stages
 * that run when the broker's answer arrives may run on a broker thread shared by every publish:
 * keep them short and never block in them.
 */
public interface AsyncPublishMiddleware extends PublishMiddleware {

  /** Handles {@code message}, normally by returning {@code chain.proceed(message)}. */
  CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain);
}
