package dev.openwif.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditTextTest {

  @Test
  void aShortPrintableTextIsKeptAsItIs() {
    assertThat(AuditText.clean("no provider with id 'wip_1' — café"))
        .isEqualTo("no provider with id 'wip_1' — café");
  }

  @Test
  void aLongTextIsCutTo200CharactersEndingWithAnEllipsis() {
    String cleaned = AuditText.clean("x".repeat(32 * 1024));
    assertThat(cleaned).hasSize(AuditText.MAX_LENGTH).endsWith("…").startsWith("xxxxxxxx");
    assertThat(AuditText.clean("y".repeat(200))).isEqualTo("y".repeat(200));
    assertThat(AuditText.clean("y".repeat(201))).isEqualTo("y".repeat(199) + "…");
  }

  @Test
  void controlEscapeFormatAndSeparatorCharactersBecomeQuestionMarks() {
    assertThat(AuditText.clean("a\u001b[31mred\r\nb\tc\u0000d\u202eevil\u2028e\u0085f\uD800g"))
        .isEqualTo("a?[31mred??b?c?d?evil?e?f?g");
  }

  @Test
  void aSupplementaryCharacterIsNeverSplitAtTheCut() {
    String cleaned = AuditText.clean("a" + "😀".repeat(150));
    assertThat(cleaned.length()).isLessThanOrEqualTo(AuditText.MAX_LENGTH);
    assertThat(cleaned).endsWith("😀…");
  }

  @Test
  void cleaningIsIdempotent() {
    String once = AuditText.clean("\u0007" + "z".repeat(500));
    assertThat(AuditText.clean(once)).isEqualTo(once);
  }

  @Test
  void everyTextOfAnExchangeAttemptIsCleanedByItsConstructor() {
    String hostile = "\u001b]0;pwned\u0007" + "A".repeat(40_000);
    AuditEvent.ExchangeAttempt attempt =
        new AuditEvent.ExchangeAttempt(
            hostile,
            Instant.EPOCH,
            Optional.of(ReasonCode.INVALID_REQUEST),
            "Parameter " + hostile + " is repeated.",
            Optional.of(hostile),
            Optional.of(hostile),
            Optional.of(hostile),
            Optional.of(hostile),
            Optional.of(hostile),
            Optional.of(hostile),
            Optional.of(hostile));
    for (String text :
        new String[] {
          attempt.id(),
          attempt.detail(),
          attempt.providerId().orElseThrow(),
          attempt.ruleId().orElseThrow(),
          attempt.serviceAccountId().orElseThrow(),
          attempt.externalSubject().orElseThrow(),
          attempt.subjectTokenHash().orElseThrow(),
          attempt.accessTokenJti().orElseThrow(),
          attempt.clientAddress().orElseThrow()
        }) {
      assertThat(text).hasSizeLessThanOrEqualTo(AuditText.MAX_LENGTH).doesNotContain("\u001b");
      assertThat(text.chars()).noneMatch(Character::isISOControl);
    }
    assertThat(attempt.count()).isEqualTo(1);
  }

  @Test
  void theNamesOfAnAdminChangeAreCleanedByItsConstructor() {
    AuditEvent.AdminChange change =
        new AuditEvent.AdminChange(
            "audit_1",
            Instant.EPOCH,
            "project.created",
            "key\r\nforged line " + "k".repeat(300),
            "proj_1",
            "{\"id\":\"proj_1\"}");
    assertThat(change.actor()).hasSize(AuditText.MAX_LENGTH).startsWith("key??forged line");
    assertThat(change.dataJson()).isEqualTo("{\"id\":\"proj_1\"}");
  }
}
