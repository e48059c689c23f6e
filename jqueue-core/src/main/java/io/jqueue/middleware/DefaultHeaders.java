package io.jqueue.middleware;

import io.jqueue.Message;
import io.jqueue.PublishChain;
import io.jqueue.PublishMiddleware;
import io.jqueue.PublishReceipt;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds default headers to every message that does not set them: the first link of every publish
 * chain (the publisher's defaults, then the broker's), so every later middleware sees the message
 * as it will be sent. Names and values are checked when a message is built with them.
 */
public final class DefaultHeaders implements PublishMiddleware {
  private final Map<String, String> defaults;

  /** Adds {@code defaults} (in their order) to every message that does not set them. */
  public DefaultHeaders(Map<String, String> defaults) {
    this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
  }

  @Override
  public PublishReceipt publish(Message message, PublishChain chain) {
    if (message.headers().keySet().containsAll(defaults.keySet())) {
      return chain.proceed(message);
    }
    Message.Builder b = message.toBuilder();
    defaults.forEach(
        (k, v) -> {
          if (!message.headers().containsKey(k)) {
            b.header(k, v);
          }
        });
    return chain.proceed(b.build());
  }

  @Override
  public String name() {
    return "default-headers";
  }
}
