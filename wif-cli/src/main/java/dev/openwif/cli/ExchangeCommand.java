package dev.openwif.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.Output;
import dev.openwif.cli.admin.TrustedCertificates;
import dev.openwif.client.AccessToken;
import dev.openwif.client.SubjectTokenProvider;
import dev.openwif.client.SubjectTokenProviderException;
import dev.openwif.client.TokenEndpointException;
import dev.openwif.client.TokenExchangeRejectedException;
import dev.openwif.client.WorkloadIdentityCredentials;
import dev.openwif.client.provider.GoogleMetadataTokenProvider;
import dev.openwif.client.provider.TokenFileProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wif exchange}: gets a subject token (from the Google metadata server, a token file or
 * standard input), exchanges it at the server's token endpoint ({@code POST /oauth/token}, RFC
 * 8693) with the client library, and prints the access token, or with {@code -o json} the token
 * response. The ids and the token source default to the client library's variables ({@code
 * OPENAI_IDENTITY_PROVIDER_ID}, {@code OPENAI_SERVICE_ACCOUNT_ID}, {@code OPENAI_WIF_AUDIENCE},
 * {@code OPENAI_WIF_TOKEN_FILE}), so it runs in the workload's own environment. Exit 0 printed; 1
 * refused by the server or no subject token; 2 usage; {@value RemoteAdminCommand#UNREACHABLE} the
 * server could not be reached.
 */
@Command(
    name = "exchange",
    mixinStandardHelpOptions = true,
    description = {
      "Exchange a workload's identity token for an OpenWIF access token and print it.",
      "The subject token comes from the metadata server, a token file or standard input."
    })
public final class ExchangeCommand implements Callable<Integer>, EnvironmentHelp.Documented {
  static final String PROVIDER_ENV = "OPENAI_IDENTITY_PROVIDER_ID";
  static final String ACCOUNT_ENV = "OPENAI_SERVICE_ACCOUNT_ID";
  static final String AUDIENCE_ENV = "OPENAI_WIF_AUDIENCE";
  static final String TOKEN_FILE_ENV = "OPENAI_WIF_TOKEN_FILE";
  private static final int MAX_STDIN_BYTES = 64 * 1024;

  /** What is printed: the access token alone, or the token response as JSON. */
  enum Format {
    token,
    json
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "The OpenWIF server's base URL (default: WIF_SERVER); http only to this machine.")
  Optional<String> server = Optional.empty();

  @Option(
      names = {"--identity-provider-id", "--provider-id"},
      paramLabel = "ID",
      description = "The workload identity provider (default: " + PROVIDER_ENV + ").")
  Optional<String> providerId = Optional.empty();

  @Option(
      names = "--service-account-id",
      paramLabel = "ID",
      description = "The service account to act as (default: " + ACCOUNT_ENV + ").")
  Optional<String> serviceAccountId = Optional.empty();

  @Option(
      names = "--metadata-audience",
      paramLabel = "AUDIENCE",
      description =
          "Ask the metadata server for a token for this audience (default: " + AUDIENCE_ENV + ").")
  Optional<String> audience = Optional.empty();

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Read the subject token from this file, or standard input for - (default: "
              + TOKEN_FILE_ENV
              + ").")
  Optional<String> tokenFile = Optional.empty();

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      description = "Trust the PEM certificates in this file for an https server (self-signed).")
  Optional<Path> cacert = Optional.empty();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "token")
  Format format = Format.token;

  Map<String, String> environment = System.getenv();
  InputStream stdin = System.in;

  @Override
  public Integer call() {
    WorkloadIdentityCredentials credentials;
    try {
      credentials = credentials();
    } catch (IllegalArgumentException | IllegalStateException e) {
      CliErrors.print(spec, e);
      return 2;
    }
    AccessToken token;
    try {
      token = credentials.token();
    } catch (TokenExchangeRejectedException e) {
      CliErrors.print(
          spec,
          "the server refused the exchange: "
              + e.error().orElse("no OAuth error code")
              + e.errorDescription().map(d -> ": " + d).orElse("")
              + " (HTTP "
              + e.statusCode()
              + ")");
      return 1;
    } catch (TokenEndpointException e) {
      CliErrors.print(spec, e);
      return RemoteAdminCommand.UNREACHABLE;
    } catch (SubjectTokenProviderException e) {
      CliErrors.print(spec, e);
      return 1;
    }
    var out = spec.commandLine().getOut();
    switch (format) {
      case token -> out.println(token.value());
      case json -> {
        ObjectNode response = AdminApiClient.json().createObjectNode();
        response.put("access_token", token.value());
        response.put("issued_token_type", token.issuedTokenType());
        response.put("token_type", "Bearer");
        response.put(
            "expires_in", Duration.between(token.obtainedAt(), token.expiresAt()).toSeconds());
        out.println(Output.json(response));
      }
    }
    out.flush();
    return 0;
  }

  private WorkloadIdentityCredentials credentials() {
    URI base =
        AdminApiClient.serverUrl(
            required(server, "WIF_SERVER", "no server: give --server URL or set WIF_SERVER"));
    WorkloadIdentityCredentials.Builder builder =
        WorkloadIdentityCredentials.builder()
            .identityProviderId(
                required(
                    providerId, PROVIDER_ENV, "give --identity-provider-id or set " + PROVIDER_ENV))
            .serviceAccountId(
                required(
                    serviceAccountId,
                    ACCOUNT_ENV,
                    "give --service-account-id or set " + ACCOUNT_ENV))
            .provider(subjectTokens())
            .tokenUrl(URI.create(base + "/oauth/token"))
            .requestTimeout(Duration.ofSeconds(30));
    if (cacert.isPresent()) {
      builder.httpClient(
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(HttpClient.Redirect.NEVER)
              .sslContext(TrustedCertificates.sslContext("--cacert", cacert.get()))
              .build());
    }
    return builder.build();
  }

  /** The subject token source: exactly one of the metadata server, a file, standard input. */
  private SubjectTokenProvider subjectTokens() {
    Optional<String> file = tokenFile.or(() -> fromEnvironment(TOKEN_FILE_ENV));
    Optional<String> aud = audience.or(() -> fromEnvironment(AUDIENCE_ENV));
    if (tokenFile.isPresent() && audience.isPresent()) {
      throw new IllegalArgumentException("give --metadata-audience or --token-file, not both");
    }
    if (tokenFile.isPresent() || (file.isPresent() && audience.isEmpty())) {
      String given = file.orElseThrow();
      return given.equals("-")
          ? SubjectTokenProvider.jwt(this::readStdin)
          : TokenFileProvider.of(Path.of(given));
    }
    return GoogleMetadataTokenProvider.builder(
            aud.orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no subject token source: give --metadata-audience AUDIENCE, --token-file"
                            + " FILE or --token-file - (standard input)")))
        .environment(environment)
        .build();
  }

  private String readStdin() throws IOException {
    byte[] bytes = stdin.readNBytes(MAX_STDIN_BYTES + 1);
    if (bytes.length > MAX_STDIN_BYTES) {
      throw new IOException("standard input holds more than " + MAX_STDIN_BYTES + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8).strip();
  }

  private String required(Optional<String> flag, String variable, String missing) {
    return flag.or(() -> fromEnvironment(variable))
        .orElseThrow(() -> new IllegalArgumentException(missing));
  }

  private Optional<String> fromEnvironment(String variable) {
    return Optional.ofNullable(environment.get(variable))
        .map(String::strip)
        .filter(v -> !v.isEmpty());
  }

  @Override
  public List<EnvironmentHelp.Variable> environment() {
    return List.of(
        new EnvironmentHelp.Variable(
            "WIF_SERVER", "The server's base URL, when --server is not given."),
        new EnvironmentHelp.Variable(PROVIDER_ENV, "The provider id, when no flag gives it."),
        new EnvironmentHelp.Variable(ACCOUNT_ENV, "The service account id, when no flag gives it."),
        new EnvironmentHelp.Variable(
            AUDIENCE_ENV, "The metadata server audience, when no flag gives it."),
        new EnvironmentHelp.Variable(TOKEN_FILE_ENV, "The token file, when no flag gives it."),
        new EnvironmentHelp.Variable(
            GoogleMetadataTokenProvider.HOST_VARIABLE,
            "host:port of the metadata server (an emulator) instead of Google's."));
  }
}
