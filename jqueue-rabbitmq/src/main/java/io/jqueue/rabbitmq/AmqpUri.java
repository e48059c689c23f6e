package io.jqueue.rabbitmq;

import io.jqueue.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * An AMQP URI taken apart by jqueue itself rather than by {@link java.net.URI}, which reports no
 * host for names with an underscore, after which the AMQP client quietly used 127.0.0.1:5672 and
 * guest. Every part is either usable or refused with a {@link ConfigurationException}; nothing
 * falls back to a default except what the AMQP URI spec defines (no user info: guest/guest; no
 * port: 5672 or 5671; no path: the default vhost).
 */
final class AmqpUri {
  private static final String MASK = "***";
  private static final String USERINFO_CHARS = "-._~!$&'()*+,;=:";
  private static final String PATH_CHARS = "-._~!$&'()*+,;=:@";
  private static final String HOST_CHARS = "-._";

  final boolean tls;
  final String host;
  final int port;
  final String username;
  final String password;
  final String virtualHost;
  final URI uri;

  /** Where {@code factory} connects to, for descriptions and errors (its password stays there). */
  static AmqpUri of(com.rabbitmq.client.ConnectionFactory factory) {
    String scheme = factory.isSSL() ? "amqps" : "amqp";
    String host = factory.getHost();
    int port = factory.getPort();
    URI uri;
    try {
      uri = new URI(scheme, factory.getUsername(), host, port, null, null, null);
    } catch (java.net.URISyntaxException e) {
      uri = URI.create(scheme + "://" + host.replaceAll("[^A-Za-z0-9.:-]", "_"));
    }
    return new AmqpUri(
        uri, factory.isSSL(), host, port, factory.getUsername(), null, factory.getVirtualHost());
  }

  private AmqpUri(
      URI uri,
      boolean tls,
      String host,
      int port,
      String username,
      String password,
      String virtualHost) {
    this.uri = uri;
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.username = username;
    this.password = password;
    this.virtualHost = virtualHost;
  }

  /**
   * Parses {@code raw}.
   *
   * @throws ConfigurationException naming what is wrong; the message shows the URI {@link #redact
   *     redacted}
   */
  static AmqpUri parse(String raw) {
    Objects.requireNonNull(raw, "uri");
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw bad(
            raw,
            "has a space, control or non-ASCII character at index "
                + i
                + "; percent-encode it (a space is %20)");
      }
    }
    int sep = raw.indexOf("://");
    String scheme = sep < 0 ? "" : raw.substring(0, sep).toLowerCase(Locale.ROOT);
    if (!scheme.equals("amqp") && !scheme.equals("amqps")) {
      throw bad(raw, "must start with amqp:// or amqps://");
    }
    String rest = raw.substring(sep + 3);
    if (rest.indexOf('#') >= 0) {
      throw bad(raw, "contains '#', which ends a URI; in a password percent-encode it as %23");
    }
    if (rest.indexOf('?') >= 0) {
      throw bad(
          raw,
          "has a '?': query parameters are not supported (use the RabbitMqConfig settings);"
              + " in a password percent-encode it as %3F");
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    int at = authority.lastIndexOf('@');
    String username = "guest";
    String password = "guest";
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        throw bad(raw, "names a user without a password; write user:password@host");
      }
      username = decode(raw, userInfo.substring(0, colon), USERINFO_CHARS, "user name");
      password = decode(raw, userInfo.substring(colon + 1), USERINFO_CHARS, "password");
      if (username.isEmpty()) {
        throw bad(raw, "has an empty user name");
      }
    }
    String hostPort = authority.substring(at + 1);
    String host;
    String portText;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw bad(raw, "has an IPv6 address without its closing ']'");
      }
      host = hostPort.substring(1, close);
      if (host.indexOf(':') < 0 || !only(host, "0123456789abcdefABCDEF:.")) {
        throw bad(raw, "has an invalid IPv6 address");
      }
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        throw bad(raw, "has text after the IPv6 address that is not a :port");
      }
      portText = after.isEmpty() ? null : after.substring(1);
    } else {
      int colon = hostPort.indexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      portText = colon < 0 ? null : hostPort.substring(colon + 1);
      if (host.isEmpty()) {
        throw bad(raw, "has no host");
      }
      if (!hostName(host)) {
        throw bad(raw, "has a host that is not a name of letters, digits, '-', '.' and '_'");
      }
    }
    boolean tls = scheme.equals("amqps");
    int port = portText == null ? (tls ? 5671 : 5672) : port(raw, portText);
    String virtualHost = slash < 0 ? "/" : virtualHost(raw, rest.substring(slash + 1));
    try {
      // URISyntaxException's message quotes the input: only its reason may be shown
      return new AmqpUri(new URI(raw), tls, host, port, username, password, virtualHost);
    } catch (URISyntaxException e) {
      throw bad(raw, "is not a valid URI (" + e.getReason() + ")");
    }
  }

  /**
   * {@code uri} with everything between the first {@code :} after {@code ://} and the last
   * {@code @} replaced by {@code ***}: the password is masked in strings that are not valid URIs
   * too. Without an {@code @}, text after a colon that is not a port number is masked as well (a
   * user who left out the host wrote {@code amqp://user:password}).
   */
  static String redact(String uri) {
    if (uri == null) {
      return "null";
    }
    int sep = uri.indexOf("://");
    int start = sep < 0 ? 0 : sep + 3;
    int at = uri.lastIndexOf('@');
    if (at >= start) {
      int colon = uri.indexOf(':', start);
      return colon >= 0 && colon < at
          ? uri.substring(0, colon + 1) + MASK + uri.substring(at)
          : uri;
    }
    int end = start;
    while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
      end++;
    }
    int close = uri.startsWith("[", start) ? uri.indexOf(']', start) : -1;
    int colon = uri.indexOf(':', close >= 0 ? close : start);
    if (colon < 0 || colon >= end || only(uri.substring(colon + 1, end), "0123456789")) {
      return uri;
    }
    return uri.substring(0, colon + 1) + MASK + uri.substring(end);
  }

  /** The URI as given, with the password masked. */
  @Override
  public String toString() {
    return redact(uri.toString());
  }

  private static int port(String raw, String text) {
    if (text.isEmpty() || text.length() > 5 || !only(text, "0123456789")) {
      throw bad(raw, "has a port that is not a number 1-65535");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65_535) {
      throw bad(raw, "has a port that is not a number 1-65535");
    }
    return port;
  }

  private static String virtualHost(String raw, String path) {
    if (path.isEmpty()) {
      throw bad(
          raw,
          "ends in '/', which names the empty vhost; leave the '/' out for the default vhost,"
              + " or write /%2F");
    }
    if (path.indexOf('/') >= 0) {
      throw bad(raw, "has a vhost of more than one path segment; write '/' in a vhost as %2F");
    }
    return decode(raw, path, PATH_CHARS, "vhost");
  }

  private static boolean hostName(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!Character.isLetterOrDigit(c) && HOST_CHARS.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Percent-decodes {@code text} as UTF-8, refusing characters that must have been encoded. */
  private static String decode(String raw, String text, String allowed, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        int hi = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
        int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw bad(raw, "has a '%' in the " + what + " that is not followed by two hex digits");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (Character.isLetterOrDigit(c) || allowed.indexOf(c) >= 0) {
        bytes.write(c);
      } else {
        throw bad(raw, "has a character in the " + what + " that must be percent-encoded");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw bad(raw, "has percent-escapes in the " + what + " that are not UTF-8");
    }
  }

  private static boolean only(String text, String chars) {
    for (int i = 0; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static ConfigurationException bad(String raw, String why) {
    return new ConfigurationException("RabbitMQ URI " + redact(raw) + " " + why);
  }
}
