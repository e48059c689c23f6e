package io.jqueue.admin;

import com.sun.net.httpserver.HttpExchange;
import io.jqueue.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The dashboard page and its assets, read once from this module's jar: a fixed list of files, so no
 * path from a request ever reaches the class loader. The charting library (uPlot, MIT) is copied
 * into the jar at build time: the page needs no network beyond this server.
 */
final class DashboardRoute implements Requests.Route {
  private static final String BASE = "dashboard/";

  private record Asset(byte[] bytes, String contentType) {}

  private final Map<String, Asset> assets;

  DashboardRoute() {
    assets =
        Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/assets/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
            "/assets/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"),
            "/assets/uPlot.min.js",
                load("uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8"),
            "/assets/uPlot.min.css", load("uplot/uPlot.min.css", "text/css; charset=utf-8"),
            "/assets/uPlot.LICENSE", load("uplot/LICENSE", "text/plain; charset=utf-8"));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Requests.requireMethod(exchange, "GET");
    Asset asset = assets.get(exchange.getRequestURI().getRawPath());
    if (asset == null) {
      throw new Requests.HttpError(404, "no such page");
    }
    Requests.send(exchange, 200, asset.contentType(), asset.bytes());
  }

  private static Asset load(String name, String contentType) {
    try (InputStream in = DashboardRoute.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new ConfigurationException("the admin jar lacks " + BASE + name + ": rebuild it");
      }
      return new Asset(in.readAllBytes(), contentType);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read " + BASE + name + " from the admin jar", e);
    }
  }
}
