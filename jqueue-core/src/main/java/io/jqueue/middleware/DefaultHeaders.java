package io.jqueue.middleware;

import io.jqueue.AsyncPublishChain;
import io.jqueue.AsyncPublishMiddleware;
import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishReceipt;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Adds default headers to every message that does not set them: the first link of every publish
 * chain (the publisher's defaults, then the broker's), so every later middleware sees the message
 * as it will be sent. Names and values are checked when a message is built with them.
 */
public final class DefaultHeaders implements AsyncPublishMiddleware {
  private final Map<String, String> defaults;

  /** Adds {@code defaults} (in their order) to every message that does not set them. */
  public DefaultHeaders(Map<String, String> defaults) {
    this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    return chain.proceed(withDefaults(message));
  }

  @Override
  public CompletableFuture<PublishReceipt> publishAsync(Message message, AsyncPublishChain chain) {
    return chain.proceed(withDefaults(message));
  }

  private Message withDefaults(Message message) {
    if (message.headers().keySet().containsAll(defaults.keySet())) {
      return message;
    }
    Message.Builder b = message.toBuilder();
    defaults.forEach(
        (k, v) -> {
          if (!message.headers().containsKey(k)) {
            b.header(k, v);
          }
        });
    return b.build();
  }

  @Override
  public String name() {
    return "default-headers";
  }
}
