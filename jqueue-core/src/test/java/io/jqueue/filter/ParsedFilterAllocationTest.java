package io.jqueue.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jqueue.Message;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Counts the bytes the test thread allocates while matching. The JVM's per-thread counter is
 * reached by reflection because module io.jqueue, which the tests compile in, does not read
 * java.management; the tests run on the class path, where it is readable.
 */
class ParsedFilterAllocationTest {
  private static final int CALLS = 1_000_000;

  @Test
  @DisplayName("matching a parsed filter allocates nothing per message")
  void matchesWithoutAllocating() throws ReflectiveOperationException {
    Object threads =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    Class<?> bean = Class.forName("com.sun.management.ThreadMXBean");
    assumeTrue(bean.isInstance(threads), "the JVM cannot count allocations per thread");
    Method allocatedBytes = bean.getMethod("getThreadAllocatedBytes", long.class);
    long threadId = Thread.currentThread().getId();
    MessageFilter filter =
        MessageFilter.parse(
            "(attributes.type = \"email\" OR hasPrefix(attributes.region, \"eu-\"))"
                + " AND NOT attributes:test AND attributes.tier != \"free\" AND -attributes:x");
    Message message =
        MessageFilterTest.withHeaders(Map.of("type", "sms", "region", "eu-west", "tier", "gold"));

    int matched = run(filter, message);
    for (int i = 0; i < 20; i++) {
      allocatedBytes.invoke(threads, threadId);
    }
    long before = (long) allocatedBytes.invoke(threads, threadId);
    matched += run(filter, message);
    long allocated = (long) allocatedBytes.invoke(threads, threadId) - before;

    assertThat(before).as("allocation counting is enabled").isPositive();
    assertThat(matched).isEqualTo(2 * CALLS);
    assertThat(allocated).as("bytes allocated by %d calls", CALLS).isLessThan(CALLS / 10);
  }

  private static int run(MessageFilter filter, Message message) {
    int matched = 0;
    for (int i = 0; i < CALLS; i++) {
      matched += filter.matches(message) ? 1 : 0;
    }
    return matched;
  }
}
