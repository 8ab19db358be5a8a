package dev.openwif.server.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, to see exactly what a server sends and when it closes: the request
 * is written as given, then everything is read until the server ends the connection (or resets it)
 * or {@code timeoutMillis} pass. Not thread-safe; one per request.
 */
final class RawHttp implements AutoCloseable {
  /**
   * What was read.
   *
   * @param text the bytes read, as ISO-8859-1
   * @param closedByServer true when the server ended the connection (EOF or reset) before the
   *     timeout
   * @param millis from {@link #open} to the end of reading
   */
  record Read(String text, boolean closedByServer, long millis) {
    String statusLine() {
      int end = text.indexOf("\r\n");
      return end < 0 ? text : text.substring(0, end);
    }

    String headersLowerCase() {
      int end = text.indexOf("\r\n\r\n");
      return (end < 0 ? text : text.substring(0, end)).toLowerCase(java.util.Locale.ROOT);
    }

    String body() {
      int end = text.indexOf("\r\n\r\n");
      return end < 0 ? "" : text.substring(end + 4);
    }
  }

  private final Socket socket;
  private final long start = System.nanoTime();

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  static RawHttp open(int port) throws IOException {
    return new RawHttp(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  RawHttp send(String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Reads until the server ends the connection or {@code timeoutMillis} pass. */
  Read readUntilClosed(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    boolean closed = false;
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        break;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException e) {
        break;
      } catch (IOException e) {
        closed = true; // reset by the server
        break;
      }
      if (n < 0) {
        closed = true;
        break;
      }
      got.write(buffer, 0, n);
    }
    return new Read(
        got.toString(StandardCharsets.ISO_8859_1), closed, (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
