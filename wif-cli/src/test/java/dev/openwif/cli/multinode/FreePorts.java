package dev.openwif.cli.multinode;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

/**
 * Ports the test chooses before the servers start (the balancer's is every node's public URL, a
 * node restarts on its own port, PostgreSQL on its own). They are taken at random below the
 * kernel's ephemeral range and checked free on 127.0.0.1: a port from that range (what port 0
 * gives) may be taken in the meantime by any outgoing connection on a busy machine, the nodes' own
 * connections to PostgreSQL included. Distinct within one instance; not thread-safe.
 */
final class FreePorts {
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LOWEST = 10_000;

  private final SecureRandom random = new SecureRandom();
  private final Set<Integer> given = new HashSet<>();
  private final int highest;

  FreePorts() throws IOException {
    int ephemeralStart = 32_768;
    if (Files.isReadable(EPHEMERAL_RANGE)) {
      ephemeralStart = Integer.parseInt(Files.readString(EPHEMERAL_RANGE).strip().split("\\s+")[0]);
    }
    this.highest = Math.max(LOWEST + 1000, ephemeralStart) - 1;
  }

  /** A port nothing listens on now on 127.0.0.1, not given before (at most 200 tries). */
  int next() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = LOWEST + random.nextInt(highest - LOWEST + 1);
      if (given.contains(port)) {
        continue;
      }
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        given.add(port);
        return probe.getLocalPort();
      } catch (IOException e) {
        // taken: try another
      }
    }
    throw new IllegalStateException(
        "no free port on 127.0.0.1 between " + LOWEST + " and " + highest + " after 200 tries");
  }
}
