package io.jqueue.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jqueue.CodecException;
import io.jqueue.Message;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private final Codec codec = JsonCodec.create();

  record Order(String id, int quantity, List<String> items) {}

  record Envelope(Object body) {}

  /** A class a hostile payload would like the codec to instantiate. */
  public static final class Gadget {
    static final AtomicInteger CREATED = new AtomicInteger();

    public Gadget() {
      CREATED.incrementAndGet();
    }
  }

  /** A bean whose getter fails, so it cannot be encoded. */
  public static final class Unencodable {
    public String getValue() {
      throw new IllegalStateException("no value");
    }
  }

  @BeforeEach
  void resetGadget() {
    Gadget.CREATED.set(0);
  }

  @Test
  @DisplayName("the default codec writes application/json and is the one Codec.json() returns")
  void contentType() {
    assertThat(codec.contentType()).isEqualTo("application/json");
    assertThat(Codec.json()).isSameAs(codec);
  }

  @Test
  @DisplayName("a record survives encode then decode")
  void recordRoundTrip() {
    Order order = new Order("o-1", 3, List.of("apple", "pear"));

    Order decoded = codec.decode(codec.encode(order), Order.class);

    assertThat(decoded).isEqualTo(order);
  }

  @Test
  @DisplayName("a generic type given as a java.lang.reflect.Type decodes with its element types")
  void genericRoundTrip() {
    List<Order> orders = List.of(new Order("a", 1, List.of()), new Order("b", 2, List.of("x")));
    Type listOfOrders = new TypeReference<List<Order>>() {}.getType();

    List<Order> decoded = codec.decode(codec.encode(orders), listOfOrders);

    assertThat(decoded).containsExactlyElementsOf(orders);
    assertThat(decoded.get(0)).isInstanceOf(Order.class);
  }

  @Test
  @DisplayName("a message built with data() decodes back to the same value")
  void messageData() {
    Order order = new Order("o-2", 1, List.of("plum"));

    Message m = Message.builder().data(order).build();

    assertThat(m.contentType()).isEqualTo(JsonCodec.CONTENT_TYPE);
    assertThat((Order) codec.decode(m.payload(), Order.class)).isEqualTo(order);
  }

  @Test
  @DisplayName("unknown properties are ignored so producers can add fields")
  void unknownProperties() {
    byte[] json =
        "{\"id\":\"o\",\"quantity\":2,\"items\":[],\"addedLater\":true}"
            .getBytes(StandardCharsets.UTF_8);

    Order decoded = codec.decode(json, Order.class);

    assertThat(decoded).isEqualTo(new Order("o", 2, List.of()));
  }

  @Test
  @DisplayName("malformed JSON is a CodecException saying where it broke")
  void malformed() {
    assertThatThrownBy(
            () -> codec.decode("{\"id\": oops".getBytes(StandardCharsets.UTF_8), Order.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("line 1");
  }

  @Test
  @DisplayName("JSON of the wrong shape for the type is a CodecException")
  void wrongShape() {
    assertThatThrownBy(
            () ->
                codec.decode(
                    "{\"quantity\":\"many\"}".getBytes(StandardCharsets.UTF_8), Order.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("Order");
  }

  @Test
  @DisplayName("a value that cannot be encoded is a CodecException naming its class")
  void encodeFailure() {
    assertThatThrownBy(() -> codec.encode(new Unencodable()))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(Unencodable.class.getName());
  }

  @Test
  @DisplayName("a payload naming a class with @class is decoded as a plain Map, never that class")
  void noPolymorphicTypeIdsAtTopLevel() {
    String gadget = Gadget.class.getName();
    byte[] json = ("{\"@class\":\"" + gadget + "\",\"x\":1}").getBytes(StandardCharsets.UTF_8);

    Object decoded = codec.decode(json, Object.class);

    assertThat(decoded)
        .isInstanceOfSatisfying(Map.class, map -> assertThat(map.get("@class")).isEqualTo(gadget));
    assertThat(Gadget.CREATED).hasValue(0);
  }

  @Test
  @DisplayName("type ids inside an Object-typed field or a wrapper array are not honoured either")
  void noPolymorphicTypeIdsNested() {
    String gadget = Gadget.class.getName();
    byte[] field = ("{\"body\":{\"@class\":\"" + gadget + "\"}}").getBytes(StandardCharsets.UTF_8);
    byte[] wrapper = ("[\"" + gadget + "\",{}]").getBytes(StandardCharsets.UTF_8);

    Envelope envelope = codec.decode(field, Envelope.class);
    Object array = codec.decode(wrapper, Object.class);

    assertThat(envelope.body()).isInstanceOf(Map.class);
    assertThat(array).isInstanceOf(List.class);
    assertThat(Gadget.CREATED).hasValue(0);
  }

  @Test
  @DisplayName("a payload nested deeper than 200 levels is a CodecException, 200 levels decode")
  void nestingDepthLimit() {
    byte[] allowed = nested(200);
    byte[] tooDeep = nested(201);

    assertThat((Object) codec.decode(allowed, Object.class)).isInstanceOf(List.class);
    assertThatThrownBy(() -> codec.decode(tooDeep, Object.class))
        .isInstanceOf(CodecException.class)
        .hasCauseInstanceOf(StreamConstraintsException.class)
        .hasMessageContaining("200");
  }

  @Test
  @DisplayName("a number longer than 1000 digits is a CodecException")
  void numberLengthLimit() {
    byte[] json = ("[" + "9".repeat(1_001) + "]").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> codec.decode(json, Object.class))
        .isInstanceOf(CodecException.class)
        .hasCauseInstanceOf(StreamConstraintsException.class);
  }

  private static byte[] nested(int depth) {
    return ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
  }
}
