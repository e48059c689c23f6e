package io.jqueue.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the admin server's endpoints, in tests. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  static HttpResponse<String> get(AdminServer admin, String path) {
    return send(HttpRequest.newBuilder(uri(admin, path)).GET());
  }

  static HttpResponse<String> post(AdminServer admin, String path, String authorization) {
    return post(admin, path, authorization, "{}");
  }

  static HttpResponse<String> post(
      AdminServer admin, String path, String authorization, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(admin, path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b);
  }

  static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static URI uri(AdminServer admin, String path) {
    return admin.uri().resolve(path);
  }
}
