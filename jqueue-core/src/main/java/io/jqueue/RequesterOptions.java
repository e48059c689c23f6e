package io.jqueue;

import io.jqueue.internal.Names;
import java.util.Objects;

/** Immutable options of a {@link Requester}, built with {@link #builder()}. */
public final class RequesterOptions {
  /** The default bound on requests waiting for their reply at once. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1000;

  private static final int MAX_ID_LENGTH = 200;

  private final String id;
  private final int maxInFlight;
  private final PublisherOptions publisher;

  private RequesterOptions(Builder b) {
    this.id = b.id != null ? b.id : Names.randomId("requester");
    this.maxInFlight = b.maxInFlight;
    this.publisher = b.publisher != null ? b.publisher : PublisherOptions.builder().id(id).build();
  }

  /** A builder with the defaults: random id, 1000 requests in flight, default publisher options. */
  public static Builder builder() {
    return new Builder();
  }

  /** The default options. */
  public static RequesterOptions defaults() {
    return builder().build();
  }

  /**
   * The requester's id (default {@code requester-} and 8 random hex digits): names its reply
   * consumer and, on brokers that need one, its reply queue {@code jqueue.replies.<id>}. Unique
   * among the open requesters of one broker.
   */
  public String id() {
    return id;
  }

  /**
   * The most requests that may wait for their reply at once (default {@value
   * #DEFAULT_MAX_IN_FLIGHT}); beyond it {@link Requester#request} fails at once with {@link
   * QueueFullException}.
   */
  public int maxInFlight() {
    return maxInFlight;
  }

  /**
   * The options of the publisher requests go through: its middlewares, default headers, limits,
   * publish timeout and asynchronous threads (default: default options with the requester's id).
   */
  public PublisherOptions publisher() {
    return publisher;
  }

  @Override
  public String toString() {
    return "RequesterOptions{id="
        + id
        + ", maxInFlight="
        + maxInFlight
        + ", publisher="
        + publisher
        + '}';
  }

  /** Builds {@link RequesterOptions}; each setter validates its argument. */
  public static final class Builder {
    private String id;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private PublisherOptions publisher;

    private Builder() {}

    /** Sets the id: 1–200 characters of {@code [A-Za-z0-9._:-]}. */
    public Builder id(String id) {
      Names.requireValid(id, "requester id");
      if (id.length() > MAX_ID_LENGTH) {
        throw ValidationException.forField(
            "id",
            "requester id must be at most " + MAX_ID_LENGTH + " characters, got " + id.length());
      }
      this.id = id;
      return this;
    }

    /** Sets the bound on requests waiting at once (1–1,000,000). */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1 || maxInFlight > 1_000_000) {
        throw ValidationException.forField(
            "maxInFlight", "maxInFlight must be 1-1000000, got " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** Sets the options of the publisher requests go through. */
    public Builder publisher(PublisherOptions publisher) {
      this.publisher = Objects.requireNonNull(publisher, "publisher");
      return this;
    }

    /** Builds the options. */
    public RequesterOptions build() {
      return new RequesterOptions(this);
    }
  }
}
