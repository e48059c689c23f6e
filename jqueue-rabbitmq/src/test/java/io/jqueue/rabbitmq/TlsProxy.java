package io.jqueue.rabbitmq;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS-terminating proxy on 127.0.0.1 in front of a plain RabbitMQ port, presenting the
 * certificate of {@code serverContext}: lets a test speak real AMQP over TLS to the shared
 * RabbitMQ, which itself has no TLS listener.
 */
final class TlsProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Closeable> open = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  TlsProxy(SSLContext serverContext, String upstreamHost, int upstreamPort) throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.server =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    // TLS 1.2: after a TLS 1.3 handshake the JDK's server sends a NewSessionTicket, which the
    // AMQP client's NIO mode read as a frame ("Bad frame end marker"); RabbitMQ sends none
    ((SSLServerSocket) server).setEnabledProtocols(new String[] {"TLSv1.2"});
    threads.execute(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        SSLSocket client = (SSLSocket) server.accept();
        track(client);
        threads.execute(() -> connect(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void connect(SSLSocket client) {
    try {
      client.startHandshake(); // only a client that accepted our certificate reaches RabbitMQ
      Socket upstream = new Socket(upstreamHost, upstreamPort);
      track(upstream);
      threads.execute(() -> pump(upstream, client));
      pump(client, upstream);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: the finally below closes the other
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Remembers {@code c} for {@link #close}, or closes it at once when that already ran. */
  private void track(Closeable c) {
    open.add(c);
    if (closed) {
      closeQuietly(c);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    closeQuietly(server);
    open.forEach(TlsProxy::closeQuietly);
    threads.shutdown();
    if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
      threads.shutdownNow();
      throw new IllegalStateException("TLS proxy threads did not end");
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
