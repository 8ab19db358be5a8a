package dev.openwif.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on the loopback address that forwards to a database until {@link #stall}: from then
 * on it keeps every socket open but drops every byte both ways, and accepts new connections without
 * forwarding anything, as a network cut between a node and its database looks to the node (no
 * answer, no reset, and no cancel request getting through). {@link #close} closes every socket.
 */
final class StallingProxy implements AutoCloseable {
  private final ServerSocket listening;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean stalled;
  private volatile boolean closed;

  private StallingProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("stalling-proxy-accept").start(this::acceptUntilClosed);
  }

  /** Starts a proxy forwarding to {@code host}:{@code port}. */
  static StallingProxy to(String host, int port) {
    try {
      return new StallingProxy(host, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The loopback port clients connect to. */
  int port() {
    return listening.getLocalPort();
  }

  /** From now on nothing gets through either way; every socket stays open. */
  void stall() {
    stalled = true;
  }

  private void acceptUntilClosed() {
    while (!closed) {
      try {
        Socket client = listening.accept();
        sockets.add(client);
        if (stalled) {
          pump(client.getInputStream(), OutputStream.nullOutputStream());
          continue;
        }
        Socket server = new Socket(targetHost, targetPort);
        sockets.add(server);
        pump(client.getInputStream(), server.getOutputStream());
        pump(server.getInputStream(), client.getOutputStream());
      } catch (IOException e) {
        if (!closed) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void pump(InputStream from, OutputStream to) {
    Thread.ofPlatform()
        .daemon()
        .name("stalling-proxy-pump")
        .start(
            () -> {
              byte[] buffer = new byte[8192];
              try {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                  if (!stalled) {
                    to.write(buffer, 0, n);
                    to.flush();
                  }
                }
              } catch (IOException e) {
                // a socket closed: this direction ends
              }
            });
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listening.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
