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

  /**
   * Why {@code host} needs {@code --public-url}: without it the issuer of the access tokens and the
   * URL clients are told is {@code http://HOST:PORT}, which for {@code 0.0.0.0} or an address other
   * machines reach is wrong or plain HTTP. Empty for a loopback address, and for a host that does
   * not resolve ({@link #problem} names that).
   */
  static Optional<String> publicUrlProblem(String host) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    if (address.isLoopbackAddress()) {
      return Optional.empty();
    }
    return Optional.of(
        "--host "
            + host
            + " is not a loopback address: give --public-url (how clients reach this server and"
            + " the issuer of its tokens, for example https://wif.example.com) or --dev");
  }

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
              + " is not an address or a known host name (use an address of this machine, for"
              + " example 127.0.0.1 or 0.0.0.0)");
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
              + " (use an address of this machine, for example 127.0.0.1 or 0.0.0.0)");
    } catch (IOException e) {
      return Optional.of("cannot listen on " + host + ":" + port + ": " + e.getMessage());
    }
  }
}
