package io.jqueue.admin;

import io.jqueue.Broker;
import io.jqueue.BrokerCapabilities;
import io.jqueue.ConsumerOptions;
import io.jqueue.DeadLetters;
import io.jqueue.Delivery;
import io.jqueue.Health;
import io.jqueue.HealthListener;
import io.jqueue.MessageHandler;
import io.jqueue.Publisher;
import io.jqueue.PublisherOptions;
import io.jqueue.QueueSpec;
import io.jqueue.QueueStats;
import io.jqueue.Requester;
import io.jqueue.RequesterOptions;
import io.jqueue.Responder;
import io.jqueue.Subscription;
import io.jqueue.SubscriptionSpec;
import io.jqueue.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A broker as the admin server must expect one: a real embedded broker whose queue list holds a
 * name made of markup. jqueue's own brokers refuse such names (SPEC §2), but the admin server takes
 * any {@link Broker}, so it treats every name as data; this one shows queue {@code real} under
 * {@code shown}.
 */
final class HostileNamesBroker implements Broker {
  private final Broker real;
  private final String realName;
  private final String shown;

  HostileNamesBroker(Broker real, String realName, String shown) {
    this.real = real;
    this.realName = realName;
    this.shown = shown;
  }

  private String in(String name) {
    return name.equals(shown) ? realName : name;
  }

  @Override
  public Set<String> queues() {
    Set<String> out = new LinkedHashSet<>();
    for (String q : real.queues()) {
      out.add(q.equals(realName) ? shown : q);
    }
    return out;
  }

  @Override
  public QueueStats stats(String queue) {
    QueueStats s = real.stats(in(queue));
    if (!queue.equals(shown)) {
      return s;
    }
    return QueueStats.builder(shown)
        .ready(s.ready())
        .inFlight(s.inFlight())
        .delayed(s.delayed())
        .published(s.published())
        .acked(s.acked())
        .failed(s.failed())
        .retried(s.retried())
        .deadLettered(s.deadLettered())
        .expired(s.expired())
        .dropped(s.dropped())
        .dlqDepth(s.dlqDepth())
        .oldestMessageAge(s.oldestMessageAge())
        .latency(s.latency())
        .filtered(s.filtered())
        .subscribers(s.subscribers())
        .build();
  }

  @Override
  public DeadLetters deadLetters(String queue) {
    return real.deadLetters(in(queue));
  }

  @Override
  public void declareQueue(QueueSpec spec) {
    real.declareQueue(spec);
  }

  @Override
  public boolean deleteQueue(String name) {
    return real.deleteQueue(in(name));
  }

  @Override
  public void declareTopic(TopicSpec spec) {
    real.declareTopic(spec);
  }

  @Override
  public void declareSubscription(SubscriptionSpec spec) {
    real.declareSubscription(spec);
  }

  @Override
  public boolean deleteSubscription(String address) {
    return real.deleteSubscription(address);
  }

  @Override
  public boolean deleteTopic(String topic) {
    return real.deleteTopic(topic);
  }

  @Override
  public Set<String> topics() {
    return real.topics();
  }

  @Override
  public Set<String> subscriptions(String topic) {
    return real.subscriptions(topic);
  }

  @Override
  public void seek(String address, Instant from) {
    real.seek(address, from);
  }

  @Override
  public Publisher publisher() {
    return real.publisher();
  }

  @Override
  public Publisher publisher(PublisherOptions options) {
    return real.publisher(options);
  }

  @Override
  public Subscription subscribe(String queue, ConsumerOptions options, MessageHandler handler) {
    return real.subscribe(in(queue), options, handler);
  }

  @Override
  public List<Delivery> receive(String queue, ConsumerOptions options, int max, Duration wait) {
    return real.receive(in(queue), options, max, wait);
  }

  @Override
  public Requester requester(RequesterOptions options) {
    return real.requester(options);
  }

  @Override
  public Subscription respond(String queue, ConsumerOptions options, Responder responder) {
    return real.respond(in(queue), options, responder);
  }

  @Override
  public BrokerCapabilities capabilities() {
    return real.capabilities();
  }

  @Override
  public Health health() {
    return real.health();
  }

  @Override
  public HealthListener.Registration onHealthChange(HealthListener listener) {
    return real.onHealthChange(listener);
  }

  @Override
  public void close(Duration timeout) {
    real.close(timeout);
  }
}
