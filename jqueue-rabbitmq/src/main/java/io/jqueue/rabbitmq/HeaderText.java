package io.jqueue.rabbitmq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.LongString;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text form of an AMQP header value, so every header another AMQP client sends reaches a
 * handler as a string (documented in docs/rabbitmq.md): strings, numbers and booleans as written,
 * timestamps as ISO-8601 instants, byte arrays as Base64, tables and arrays as JSON (with the same
 * rules inside), a void value as the empty string.
 */
final class HeaderText {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HeaderText() {}

  /** The text form of {@code value}. */
  static String of(Object value) {
    Object plain = plain(value);
    if (plain == null) {
      return "";
    }
    if (plain instanceof Map || plain instanceof List) {
      try {
        return JSON.writeValueAsString(plain);
      } catch (JsonProcessingException e) {
        return String.valueOf(plain); // plain() leaves only strings, numbers, booleans, maps, lists
      }
    }
    return plain.toString();
  }

  /** {@code value} with AMQP's types replaced by JSON-friendly ones. */
  private static Object plain(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof LongString) {
      return value.toString();
    }
    if (value instanceof byte[]) {
      return Base64.getEncoder().encodeToString((byte[]) value);
    }
    if (value instanceof Date) {
      return ((Date) value).toInstant().toString();
    }
    if (value instanceof Map<?, ?> table) {
      Map<String, Object> out = new LinkedHashMap<>();
      table.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (value instanceof List<?> array) {
      List<Object> out = new ArrayList<>(array.size());
      array.forEach(v -> out.add(plain(v)));
      return out;
    }
    if (value instanceof Object[] array) {
      return plain(java.util.Arrays.asList(array));
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    return value.toString(); // Character and anything newer AMQP clients send
  }
}
