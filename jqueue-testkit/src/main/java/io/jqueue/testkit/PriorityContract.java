package io.jqueue.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.jqueue.Capability;
import io.jqueue.ConsumerOptions;
import io.jqueue.Delivery;
import io.jqueue.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** SPEC §4 priority queues. */
public abstract class PriorityContract extends ContractSupport {

  @Test
  @DisplayName("a priority queue delivers higher priorities first, FIFO among equals")
  void priorityOrder() {
    assumeSupports(Capability.PRIORITY_QUEUES);
    String q = declare(queue("tickets").maxPriority(10));
    int[] priorities = {1, 5, 0, 10, 5, 1, 10, 0};
    for (int i = 0; i < priorities.length; i++) {
      publisher.publish(
          Message.builder().topic(q).priority(priorities[i]).text(priorities[i] + "/" + i).build());
    }

    List<String> order = new ArrayList<>();
    for (int i = 0; i < priorities.length; i++) {
      Delivery d = broker.receive(q, 1, Duration.ofSeconds(5)).get(0);
      order.add(d.text());
      d.ack();
    }

    assertThat(order).containsExactly("10/3", "10/6", "5/1", "5/4", "1/0", "1/5", "0/2", "0/7");
  }

  @Test
  @DisplayName("a subscriber of a priority queue sees a later urgent message before the backlog")
  void urgentOvertakesBacklog() {
    assumeSupports(Capability.PRIORITY_QUEUES);
    String q = declare(queue("tickets").maxPriority(5));
    for (int i = 0; i < 20; i++) {
      publisher.publish(Message.builder().topic(q).text("normal-" + i).build());
    }
    publisher.publish(Message.builder().topic(q).priority(9).text("urgent").build());
    Recorder seen = new Recorder();

    broker.subscribe(q, ConsumerOptions.builder().concurrency(1).build(), seen::record);

    eventually().until(() -> seen.count() == 21);
    assertThat(seen.texts().get(0)).isEqualTo("urgent"); // priority above max counts as max
    List<String> backlog = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      backlog.add("normal-" + i);
    }
    assertThat(seen.texts().subList(1, 21)).isEqualTo(backlog);
  }
}
