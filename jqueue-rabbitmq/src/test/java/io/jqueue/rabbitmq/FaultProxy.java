package io.jqueue.rabbitmq;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy for fault tests: in front of the shared RabbitMQ that only ever touches the
 * connections made through it. It can (a) inject AMQP frames server→client at a frame boundary
 * (e.g. connection.blocked), (b) stop reading from clients (like a broker that blocked the
 * connection, or a stalled network), (c) hold what clients send from a given moment, unforwarded,
 * (d) drop every connection (a connection loss).
 */
final class FaultProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final List<Pipe> pipes = new CopyOnWriteArrayList<>();
  private volatile boolean pauseUpstream;
  private volatile boolean holdUpstream;

  FaultProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "fault-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  String uri() {
    return "amqp://guest:guest@127.0.0.1:" + port();
  }

  /** Stops (true) or resumes (false) reading what clients send. */
  void pauseUpstream(boolean pause) {
    this.pauseUpstream = pause;
  }

  /**
   * Holds (true) or forwards again (false) what clients send: unlike {@link #pauseUpstream}, which
   * stops reading and so may still forward what a read under way returns, nothing a client sends
   * after this call reaches RabbitMQ until it is released.
   */
  void holdUpstream(boolean hold) {
    this.holdUpstream = hold;
  }

  /** Sends {@code frame} to every client now, between two server frames. */
  void injectToAll(byte[] frame) throws IOException {
    for (Pipe p : pipes) {
      p.inject(frame);
    }
  }

  /** Drops every proxied connection (the clients see a connection loss and recover). */
  void dropAll() {
    for (Pipe p : pipes) {
      p.close();
    }
    pipes.clear();
  }

  static byte[] connectionBlocked(String reason) {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(4 + 1 + r.length);
    payload.putShort((short) 10).putShort((short) 60).put((byte) r.length).put(r);
    return frame(payload.array());
  }

  static byte[] connectionUnblocked() {
    ByteBuffer payload = ByteBuffer.allocate(4);
    payload.putShort((short) 10).putShort((short) 61);
    return frame(payload.array());
  }

  private static byte[] frame(byte[] payload) {
    ByteBuffer f = ByteBuffer.allocate(7 + payload.length + 1);
    f.put((byte) 1).putShort((short) 0).putInt(payload.length).put(payload).put((byte) 0xCE);
    return f.array();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        Pipe p = new Pipe(client, upstream);
        pipes.add(p);
        p.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    dropAll();
    server.close();
  }

  private final class Pipe {
    final Socket client;
    final Socket upstream;
    final OutputStream toClient;

    Pipe(Socket client, Socket upstream) throws IOException {
      this.client = client;
      this.upstream = upstream;
      this.toClient = client.getOutputStream();
    }

    void start() {
      Thread up = new Thread(this::up, "fault-proxy-up");
      up.setDaemon(true);
      up.start();
      Thread down = new Thread(this::down, "fault-proxy-down");
      down.setDaemon(true);
      down.start();
    }

    void inject(byte[] frame) throws IOException {
      synchronized (toClient) {
        toClient.write(frame);
        toClient.flush();
      }
    }

    /** client → server, raw; stops reading while paused. */
    private void up() {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = client.getInputStream();
          OutputStream out = upstream.getOutputStream()) {
        while (true) {
          while (pauseUpstream) {
            Thread.sleep(20);
          }
          int n = in.read(buf);
          if (n < 0) {
            break;
          }
          while (holdUpstream) {
            Thread.sleep(5);
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // dropped
      } finally {
        close();
      }
    }

    /** server → client, whole frames, so injected frames land on a boundary. */
    private void down() {
      try (DataInputStream in = new DataInputStream(upstream.getInputStream())) {
        byte[] header = new byte[7];
        while (true) {
          in.readFully(header);
          int size = ByteBuffer.wrap(header, 3, 4).getInt();
          byte[] rest = new byte[size + 1];
          in.readFully(rest);
          synchronized (toClient) {
            toClient.write(header);
            toClient.write(rest);
            toClient.flush();
          }
        }
      } catch (IOException e) {
        // dropped
      } finally {
        close();
      }
    }

    void close() {
      try {
        client.close();
      } catch (IOException e) {
        // closing
      }
      try {
        upstream.close();
      } catch (IOException e) {
        // closing
      }
    }
  }
}
