package dev.openwif.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks {@code --host} and {@code --port} before the server starts, so the error blames the right
 * one: an unknown host or an address that is not this machine's is a {@code --host} problem, a
 * taken port a {@code --port} problem.
 */
final class ListenAddress {
  private ListenAddress() {}

  /** What is wrong with listening on {@code host:port}, or empty when a bind works right now. */
  static Optional<String> problem(String host, int port) {
    if (port < 0 || port > 65535) {
      return Optional.of("--port " + port + " is not a port number (0 to 65535; 0: any free port)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return Optional.of(
          "--host "
              + host
              + " is not an address or a known host name (use an address of this machine, e.g."
              + " 127.0.0.1 or 0.0.0.0)");
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(address, port));
      return Optional.empty();
    } catch (BindException e) {
      String reason = String.valueOf(e.getMessage());
      if (reason.toLowerCase(Locale.ROOT).contains("in use")) {
        return Optional.of(
            "--port "
                + port
                + " is already in use on "
                + host
                + " (is another server running? stop it or choose another --port)");
      }
      return Optional.of(
          "--host "
              + host
              + " cannot be listened on: "
              + reason
              + " (use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0)");
    } catch (IOException e) {
      return Optional.of("cannot listen on " + host + ":" + port + ": " + e.getMessage());
    }
  }
}
