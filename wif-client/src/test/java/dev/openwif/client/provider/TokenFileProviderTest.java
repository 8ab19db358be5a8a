package dev.openwif.client.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileProviderTest {
  @TempDir Path dir;

  @Test
  void getTokenWhenFileRotatedBetweenCallsThenEachCallReadsTheCurrentToken() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "first.jwt.token\n");
    TokenFileProvider provider = TokenFileProvider.of(file);

    String first = provider.getToken();
    Files.writeString(file, "  second.jwt.token  ");
    String second = provider.getToken();

    assertThat(first).isEqualTo("first.jwt.token");
    assertThat(second).isEqualTo("second.jwt.token");
  }

  @Test
  void getTokenWhenFileEmptyThenErrorNamesThePath() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, " \n");

    assertThatThrownBy(() -> TokenFileProvider.of(file).getToken())
        .isInstanceOf(IOException.class)
        .hasMessage("The token file " + file + " is empty.");
  }

  @Test
  void getTokenWhenFileMissingThenErrorNamesThePath() {
    Path file = dir.resolve("absent");

    assertThatThrownBy(() -> TokenFileProvider.of(file).getToken())
        .isInstanceOf(IOException.class)
        .hasMessage("The token file " + file + " does not exist.");
  }

  @Test
  void kubernetesWhenCreatedThenReadsTheDefaultServiceAccountTokenPath() {
    TokenFileProvider provider = TokenFileProvider.kubernetes();

    assertThat(provider.path())
        .isEqualTo(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
    assertThat(provider.description())
        .isEqualTo("token file /var/run/secrets/kubernetes.io/serviceaccount/token");
  }

  @Test
  void awsWebIdentityWhenVariableSetThenReadsThatFile() throws Exception {
    Path file = dir.resolve("eks-token");
    Files.writeString(file, "eks.jwt\n");

    TokenFileProvider provider =
        TokenFileProvider.awsWebIdentity(Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", file.toString()));

    assertThat(provider.getToken()).isEqualTo("eks.jwt");
  }

  @Test
  void awsWebIdentityWhenVariableMissingThenErrorNamesIt() {
    assertThatThrownBy(() -> TokenFileProvider.awsWebIdentity(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AWS_WEB_IDENTITY_TOKEN_FILE");
  }
}
