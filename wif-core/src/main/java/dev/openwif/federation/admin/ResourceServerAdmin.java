package dev.openwif.federation.admin;

import dev.openwif.federation.IdGenerator;
import dev.openwif.federation.NotFoundException;
import dev.openwif.federation.Page;
import dev.openwif.federation.PageRequest;
import dev.openwif.federation.ResourceServer;
import dev.openwif.federation.ResourceServerRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Admin use cases for resource servers, the credentials APIs use to introspect OpenWIF access
 * tokens: create (returning the secret exactly once), retrieve, list, delete, and {@link
 * #authenticate} a presented {@code client_id} and secret. Only the SHA-256 of a secret is stored;
 * a presented secret is hashed and compared with {@link MessageDigest#isEqual} (constant time).
 * Secrets are {@value ResourceServer#SECRET_PREFIX} followed by 256 random bits in base64url. Each
 * change and its audit row ({@code resource_server.created|deleted}) run in one {@link
 * AdminWriteLock admin transaction}; resource servers are not part of the federation snapshot, so
 * no change listener is told. Thread-safe when the repository is.
 */
public final class ResourceServerAdmin {
  /** Longest secret {@link #authenticate} hashes; generated ones are 49 characters. */
  public static final int MAX_SECRET_CHARS = 512;

  /** Longest {@code client_id} {@link #authenticate} looks up; generated ids are 27 characters. */
  public static final int MAX_ID_CHARS = 128;

  private static final int DISPLAY_CHARS = 12;

  private final ResourceServerRepository servers;
  private final AdminWriteLock writeLock;
  private final AdminAudit audit;
  private final Clock clock;
  private final IdGenerator ids;
  private final SecureRandom random;

  public ResourceServerAdmin(
      ResourceServerRepository servers,
      AdminWriteLock writeLock,
      AdminAudit audit,
      Clock clock,
      IdGenerator ids,
      SecureRandom random) {
    this.servers = Objects.requireNonNull(servers, "servers");
    this.writeLock = Objects.requireNonNull(writeLock, "writeLock");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A stored resource server and its secret; the secret is shown once and never stored. */
  public record Created(ResourceServer server, String secret) {
    public Created {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
      return "Created[server=" + server.id() + ", secret=<redacted>]";
    }
  }

  /** Makes a resource server named {@code name} with a new random secret. */
  public Created create(String name, ChangeNote note) {
    ProviderValidator.checkText("name", name, ProviderValidator.MAX_TEXT);
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret =
        ResourceServer.SECRET_PREFIX
            + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    ResourceServer server =
        new ResourceServer(
            ids.next("rs"),
            name,
            AdminKeys.sha256Hex(secret),
            secret.substring(0, DISPLAY_CHARS),
            clock.instant());
    writeLock.runVoid(
        () -> {
          servers.insert(server);
          audit.record("resource_server.created", server.id(), Optional.empty(), note);
        });
    return new Created(server, secret);
  }

  public ResourceServer get(String id) {
    return servers
        .find(id)
        .orElseThrow(() -> new NotFoundException("No resource server found with id '" + id + "'."));
  }

  public Page<ResourceServer> list(PageRequest page) {
    page.after().filter(after -> servers.find(after).isEmpty()).ifPresent(Cursors::unknown);
    return servers.list(page);
  }

  /** Deletes the resource server: its credential stops working at once. */
  public void delete(String id, ChangeNote note) {
    writeLock.runVoid(
        () -> {
          if (!servers.delete(id)) {
            throw new NotFoundException("No resource server found with id '" + id + "'.");
          }
          audit.record("resource_server.deleted", id, Optional.empty(), note);
        });
  }

  /**
   * The resource server {@code clientId} when {@code secret} is its secret; empty for an unknown
   * id, a wrong secret, an id longer than {@link #MAX_ID_CHARS} or a secret longer than {@link
   * #MAX_SECRET_CHARS}. The presented secret is hashed even for an unknown id, so both refusals
   * cost the same.
   */
  public Optional<ResourceServer> authenticate(String clientId, String secret) {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(secret, "secret");
    if (clientId.isEmpty()
        || clientId.length() > MAX_ID_CHARS
        || secret.isEmpty()
        || secret.length() > MAX_SECRET_CHARS) {
      return Optional.empty();
    }
    byte[] presented = AdminKeys.sha256Hex(secret).getBytes(StandardCharsets.US_ASCII);
    return servers
        .find(clientId)
        .filter(
            s ->
                MessageDigest.isEqual(
                    s.secretHash().getBytes(StandardCharsets.US_ASCII), presented));
  }
}
