package io.jqueue.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.jqueue.CodecException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * JSON codec on Jackson with safe defaults: no default typing (a payload can never choose the class
 * it is read as), no Java serialization, and explicit {@link StreamReadConstraints} that bound
 * nesting depth, number length and string length so a hostile payload cannot exhaust the consumer.
 *
 * <p>Decoding rules: unknown properties are ignored, so producers can add fields without breaking
 * consumers; a missing property leaves its field at the type's default ({@code null}, zero, false,
 * or a record component's default); a body that is JSON {@code null} (or empty) is a {@link
 * CodecException}, so {@code delivery.data(Order.class)} never returns {@code null} and such a
 * message is dead-lettered with {@code DECODE_ERROR}. Supply your own mapper with {@link
 * #of(ObjectMapper)} to add modules (for example {@code java.time} support); jqueue does not
 * re-check its settings.
 */
public final class JsonCodec implements Codec {
  /** Content type written by this codec. */
  public static final String CONTENT_TYPE = "application/json";

  /** The shared default: its mapper is built at its first use, so start-up does not pay for it. */
  static final JsonCodec DEFAULT = new JsonCodec(null);

  private final ObjectMapper given; // null for DEFAULT

  private JsonCodec(ObjectMapper mapper) {
    this.given = mapper;
  }

  private ObjectMapper mapper() {
    return given != null ? given : DefaultMapper.INSTANCE;
  }

  /**
   * Holds the default mapper; the JVM builds it when the default codec first encodes or decodes.
   */
  private static final class DefaultMapper {
    static final ObjectMapper INSTANCE = defaultMapper();
  }

  /** The shared default codec. */
  public static JsonCodec create() {
    return DEFAULT;
  }

  /** A codec on a mapper you configured; it is used as is. */
  public static JsonCodec of(ObjectMapper mapper) {
    return new JsonCodec(Objects.requireNonNull(mapper, "mapper"));
  }

  /**
   * The mapper jqueue uses by default, as a starting point for your own: copy it and register
   * modules.
   */
  public static ObjectMapper defaultMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(200)
                .maxNumberLength(1_000)
                .maxStringLength(16 * 1024 * 1024)
                .maxNameLength(4_096)
                .build());
    return mapper;
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public byte[] encode(Object value) {
    try {
      return mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new CodecException(
          "cannot encode a " + typeName(value) + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public <T> T decode(byte[] payload, Type type) {
    Objects.requireNonNull(payload, "payload");
    ObjectMapper mapper = mapper();
    JavaType javaType = mapper.constructType(type);
    try {
      T value = mapper.readValue(payload, javaType);
      if (value == null) {
        throw new CodecException(
            "payload is JSON null (or empty), not a "
                + javaType.toCanonical()
                + "; a message must carry a value");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new CodecException(
          "payload is not valid JSON for "
              + javaType.toCanonical()
              + ": "
              + e.getOriginalMessage()
              + location(e),
          e);
    } catch (IOException e) {
      throw new CodecException("cannot read payload as " + javaType.toCanonical(), e);
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (at line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static String typeName(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }

  @Override
  public String toString() {
    return "JsonCodec";
  }
}
