package dev.openwif.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.openwif.testkit.OpenSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The watcher driven check by check, with files replaced as an operator or a secret mount does. */
class TlsFileWatcherTest {
  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(TlsFileWatcher.class);
  private final List<TlsCredentials> handedOver = new ArrayList<>();
  private OpenSsl.Pair live;
  private TlsFileWatcher watcher;

  @BeforeEach
  void start() throws Exception {
    log.start();
    logger.addAppender(log);
    OpenSsl.Pair first = OpenSsl.selfSignedRsa(dir, "first");
    live = new OpenSsl.Pair(dir.resolve("live.crt"), dir.resolve("live.key"));
    Files.copy(first.certificate(), live.certificate());
    Files.copy(first.key(), live.key());
    watcher = TlsFileWatcher.load(new TlsFiles(live.certificate(), live.key()));
    watcher.onChangeForTest(handedOver::add);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(log);
    watcher.close();
  }

  private void replaceWith(OpenSsl.Pair pair) throws Exception {
    Files.copy(pair.certificate(), live.certificate(), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(pair.key(), live.key(), StandardCopyOption.REPLACE_EXISTING);
  }

  private List<String> errors() {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.ERROR)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void checkWhenFilesUnchangedThenNothingHandedOver() {
    watcher.check();
    watcher.check();

    assertThat(handedOver).isEmpty();
    assertThat(watcher.credentials().certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=first");
  }

  @Test
  void checkWhenBothFilesReplacedThenNewCredentialsAfterTheyStayOnePeriod() throws Exception {
    replaceWith(OpenSsl.selfSignedRsa(dir, "second"));

    watcher.check();
    assertThat(handedOver).as("waits one period for the writer to finish").isEmpty();
    watcher.check();

    assertThat(handedOver).hasSize(1);
    assertThat(handedOver.getFirst().certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=second");
    assertThat(watcher.credentials()).isSameAs(handedOver.getFirst());
    watcher.check();
    assertThat(handedOver).hasSize(1);
  }

  @Test
  void checkWhenOnlyTheCertificateReplacedThenOldKeptAndOneErrorNamingTheFiles() throws Exception {
    OpenSsl.Pair second = OpenSsl.selfSignedRsa(dir, "second");
    Files.copy(second.certificate(), live.certificate(), StandardCopyOption.REPLACE_EXISTING);

    for (int i = 0; i < 5; i++) {
      watcher.check();
    }

    assertThat(handedOver).isEmpty();
    assertThat(watcher.credentials().certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=first");
    assertThat(errors())
        .singleElement()
        .asString()
        .contains("still serving 'CN=first'")
        .contains(
            "TLS key "
                + live.key()
                + " does not belong to the certificate in "
                + live.certificate());

    Files.copy(second.key(), live.key(), StandardCopyOption.REPLACE_EXISTING);
    watcher.check();
    watcher.check();
    assertThat(handedOver)
        .singleElement()
        .satisfies(c -> assertThat(c.describe()).contains("CN=second"));
  }

  @Test
  void checkWhenAFileDisappearsThenOldKeptAndOneError() throws Exception {
    Files.delete(live.key());

    for (int i = 0; i < 4; i++) {
      watcher.check();
    }

    assertThat(handedOver).isEmpty();
    assertThat(errors()).singleElement().asString().contains("cannot read TLS file " + live.key());
  }

  @Test
  void checkWhenHandOverRefusedThenOldKeptAndOneError() throws Exception {
    watcher.onChangeForTest(
        c -> {
          throw new IllegalStateException("listener refused the reload");
        });
    replaceWith(OpenSsl.selfSignedRsa(dir, "second"));

    for (int i = 0; i < 4; i++) {
      watcher.check();
    }

    assertThat(watcher.credentials().describe()).contains("CN=first");
    assertThat(errors()).singleElement().asString().contains("listener refused the reload");
  }
}
