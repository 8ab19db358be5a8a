package dev.openwif.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.AdminApiException;
import dev.openwif.cli.admin.AdminApiUnreachableException;
import dev.openwif.cli.admin.AdminConnection;
import dev.openwif.cli.apply.AdminCalls;
import dev.openwif.cli.apply.ChangeRefusedException;
import dev.openwif.cli.apply.ConfigFileException;
import dev.openwif.cli.apply.ConfigReader;
import dev.openwif.cli.apply.DesiredState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What {@code wif plan}, {@code wif apply} and {@code wif export} share: the admin connection,
 * reading the configuration file ({@code -} for standard input, at most {@value #MAX_FILE_BYTES}
 * bytes), and the exit codes: 0 done; 1 the server refused a change; 2 a bad file or command line
 * (the error names the file, line and field); 3 no answer from the server.
 */
abstract class ConfigAsCodeCommand implements Callable<Integer>, EnvironmentHelp.Documented {
  static final int MAX_FILE_BYTES = 1 << 20;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin AdminConnection connection;

  InputStream stdin = System.in;

  /** The command's work, given a client; returns the exit code. */
  abstract int run(AdminCalls admin, AdminApiClient client);

  @Override
  public Integer call() {
    AdminApiClient client;
    try {
      client = connection.client();
    } catch (IllegalArgumentException e) {
      CliErrors.print(spec, e);
      return 2;
    }
    try {
      return run(calls(client), client);
    } catch (ChangeRefusedException e) {
      CliErrors.print(spec, e);
      return 1;
    } catch (ConfigFileException e) {
      CliErrors.print(spec, e);
      return 2;
    } catch (AdminApiException e) {
      CliErrors.print(spec, e.serverMessage() + " (HTTP " + e.status() + ")");
      return 1;
    } catch (AdminApiUnreachableException e) {
      CliErrors.print(spec, e);
      return RemoteAdminCommand.UNREACHABLE;
    }
  }

  /** Reads and checks the configuration file {@code file} ({@code -}: standard input). */
  DesiredState read(String file) {
    String text;
    try {
      byte[] bytes =
          file.equals("-") ? stdin.readNBytes(MAX_FILE_BYTES + 1) : readCapped(Path.of(file));
      if (bytes.length > MAX_FILE_BYTES) {
        throw new ConfigFileException(file + ": larger than " + MAX_FILE_BYTES + " bytes");
      }
      text = new String(bytes, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigFileException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigFileException(file + ": cannot be read: " + e.getMessage());
    }
    return ConfigReader.read(file, text);
  }

  private static byte[] readCapped(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(MAX_FILE_BYTES + 1);
    }
  }

  /** The admin API calls over {@code client}, with the field a refusal names. */
  static AdminCalls calls(AdminApiClient client) {
    return new AdminCalls() {
      @Override
      public Read read(String path) {
        AdminApiClient.Answer answer = client.call("GET", path, Optional.empty(), Optional.empty());
        return new Read(answer.body(), answer.etag());
      }

      @Override
      public JsonNode post(String path, JsonNode body, Optional<String> ifMatch) {
        return client.call("POST", path, Optional.of(body), ifMatch).body();
      }

      @Override
      public JsonNode delete(String path, Optional<String> ifMatch) {
        return client.call("DELETE", path, Optional.empty(), ifMatch).body();
      }

      @Override
      public Optional<String> refusedField(RuntimeException refusal) {
        return refusal instanceof AdminApiException e ? e.param() : Optional.empty();
      }

      @Override
      public boolean changedMeanwhile(RuntimeException refusal) {
        return refusal instanceof AdminApiException e && e.status() == 412;
      }

      @Override
      public boolean notFound(RuntimeException refusal) {
        return refusal instanceof AdminApiException e && e.status() == 404;
      }
    };
  }

  @Override
  public List<EnvironmentHelp.Variable> environment() {
    return List.of(
        new EnvironmentHelp.Variable(
            AdminConnection.SERVER_ENV, "The server's base URL, when --server is not given."),
        new EnvironmentHelp.Variable(
            AdminConnection.ADMIN_KEY_ENV,
            "The admin key, when --admin-key-file is not given (never a flag value)."));
  }
}
