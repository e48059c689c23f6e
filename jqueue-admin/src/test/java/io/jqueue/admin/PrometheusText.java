package io.jqueue.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: no Java library on
 * Maven Central parses it (the Prometheus Java client only writes it). It reads HELP and TYPE
 * lines, metric names, label sets with their escapes, values (including NaN and ±Inf) and optional
 * timestamps, and refuses what a Prometheus server would: a sample before or outside its TYPE's
 * family, a TYPE given twice, a duplicate label or series, an unknown type or a malformed token.
 */
final class PrometheusText {
  record Sample(String name, Map<String, String> labels, double value) {}

  record Family(String name, String type, String help, List<Sample> samples) {
    /** The value of the one sample named {@code name} whose labels include {@code labels}. */
    Optional<Double> value(String name, Map<String, String> labels) {
      return samples.stream()
          .filter(
              s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
          .map(Sample::value)
          .reduce(
              (a, b) -> {
                throw new IllegalStateException("more than one sample of " + name + labels);
              });
    }
  }

  static final class ParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ParseException(int line, String message) {
      super("line " + line + ": " + message);
    }
  }

  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private final String text;
  private final Map<String, Family> families = new LinkedHashMap<>();
  private final Map<String, String> help = new LinkedHashMap<>();
  private final Set<String> series = new HashSet<>();
  private Family current;
  private int line;
  private int pos;
  private int end;

  private PrometheusText(String text) {
    this.text = text;
  }

  /** Parses {@code text}; families by name. */
  static Map<String, Family> parse(String text) {
    PrometheusText p = new PrometheusText(text);
    p.run();
    return p.families;
  }

  private void run() {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new ParseException(0, "the exposition must end with a line feed");
    }
    int start = 0;
    while (start < text.length()) {
      line++;
      int nl = text.indexOf('\n', start);
      pos = start;
      end = nl;
      parseLine();
      start = nl + 1;
    }
  }

  private void parseLine() {
    skipBlanks();
    if (pos == end) {
      return;
    }
    if (text.charAt(pos) == '#') {
      pos++;
      skipBlanks();
      String keyword = token();
      if (keyword.equals("HELP") || keyword.equals("TYPE")) {
        skipBlanks();
        String name = metricName();
        skipBlanks();
        String rest = text.substring(pos, end);
        if (keyword.equals("HELP")) {
          help.put(name, unescape(rest));
        } else {
          startFamily(name, rest.trim());
        }
      }
      return; // any other comment
    }
    String name = metricName();
    Map<String, String> labels = new LinkedHashMap<>();
    if (pos < end && text.charAt(pos) == '{') {
      labels = labels();
    }
    skipBlanks();
    double value = number(token());
    skipBlanks();
    if (pos < end) {
      String ts = token();
      try {
        Long.parseLong(ts);
      } catch (NumberFormatException e) {
        throw new ParseException(line, "bad timestamp '" + ts + "'");
      }
      skipBlanks();
      if (pos < end) {
        throw new ParseException(line, "unexpected text after the timestamp");
      }
    }
    addSample(new Sample(name, Map.copyOf(labels), value));
  }

  private void startFamily(String name, String type) {
    if (!TYPES.contains(type)) {
      throw new ParseException(line, "unknown type '" + type + "'");
    }
    if (families.containsKey(name)) {
      throw new ParseException(line, "second TYPE line for " + name);
    }
    current = new Family(name, type, help.getOrDefault(name, ""), new ArrayList<>());
    families.put(name, current);
  }

  private void addSample(Sample s) {
    if (current == null || !belongs(s.name(), current)) {
      if (families.containsKey(s.name())) {
        throw new ParseException(line, s.name() + " is not next to its TYPE line");
      }
      startFamily(s.name(), "untyped");
    }
    if (!series.add(s.name() + s.labels())) {
      throw new ParseException(line, "duplicate series " + s.name() + s.labels());
    }
    if (current.type().equals("histogram")
        && s.name().endsWith("_bucket")
        && !s.labels().containsKey("le")) {
      throw new ParseException(line, "histogram bucket without an le label");
    }
    current.samples().add(s);
  }

  private static boolean belongs(String name, Family f) {
    if (name.equals(f.name())) {
      return true;
    }
    String rest = name.startsWith(f.name()) ? name.substring(f.name().length()) : null;
    if (rest == null) {
      return false;
    }
    switch (f.type()) {
      case "histogram":
        return rest.equals("_bucket") || rest.equals("_sum") || rest.equals("_count");
      case "summary":
        return rest.equals("_sum") || rest.equals("_count");
      default:
        return false;
    }
  }

  private Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    pos++; // {
    while (true) {
      skipBlanks();
      expectMore();
      if (text.charAt(pos) == '}') {
        pos++;
        return labels;
      }
      String name = labelName();
      skipBlanks();
      expect('=');
      skipBlanks();
      expect('"');
      StringBuilder value = new StringBuilder();
      while (true) {
        expectMore();
        char c = text.charAt(pos++);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          expectMore();
          char e = text.charAt(pos++);
          if (e == 'n') {
            value.append('\n');
          } else if (e == '\\' || e == '"') {
            value.append(e);
          } else {
            throw new ParseException(line, "bad escape \\" + e + " in a label value");
          }
        } else {
          value.append(c);
        }
      }
      if (labels.put(name, value.toString()) != null) {
        throw new ParseException(line, "label " + name + " given twice");
      }
      skipBlanks();
      expectMore();
      if (text.charAt(pos) == ',') {
        pos++;
      } else if (text.charAt(pos) != '}') {
        throw new ParseException(line, "expected , or } after a label");
      }
    }
  }

  private String metricName() {
    int start = pos;
    while (pos < end && isNameChar(text.charAt(pos), pos == start, true)) {
      pos++;
    }
    if (pos == start) {
      throw new ParseException(line, "expected a metric name at column " + (pos - start + 1));
    }
    return text.substring(start, pos);
  }

  private String labelName() {
    int start = pos;
    while (pos < end && isNameChar(text.charAt(pos), pos == start, false)) {
      pos++;
    }
    if (pos == start) {
      throw new ParseException(line, "expected a label name");
    }
    return text.substring(start, pos);
  }

  private static boolean isNameChar(char c, boolean first, boolean colon) {
    boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return letter || (colon && c == ':') || (!first && c >= '0' && c <= '9');
  }

  private static double number(String s) {
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new ParseException(0, "bad value '" + s + "'");
        }
    }
  }

  private String token() {
    int start = pos;
    while (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') {
      pos++;
    }
    return text.substring(start, pos);
  }

  private void skipBlanks() {
    while (pos < end && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private void expect(char c) {
    expectMore();
    if (text.charAt(pos) != c) {
      throw new ParseException(line, "expected '" + c + "' at column " + pos);
    }
    pos++;
  }

  private void expectMore() {
    if (pos >= end) {
      throw new ParseException(line, "line ends too early");
    }
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\\\", "\\");
  }
}
