package io.jqueue.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates daemon threads named {@code <prefix>-<n>} that log what escapes them. */
public final class NamedThreadFactory implements ThreadFactory {
  private static final Logger LOG = LoggerFactory.getLogger(NamedThreadFactory.class);

  private final String prefix;
  private final AtomicInteger counter = new AtomicInteger();

  /** A factory for threads named {@code prefix-1}, {@code prefix-2}, ... */
  public NamedThreadFactory(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread t = new Thread(task, prefix + "-" + counter.incrementAndGet());
    t.setDaemon(true);
    t.setUncaughtExceptionHandler(
        (thread, e) -> LOG.error("uncaught error in jqueue thread {}", thread.getName(), e));
    return t;
  }
}
