package dev.openwif.server;

import dev.openwif.federation.admin.SigningKeyAdmin;
import dev.openwif.federation.admin.UnauditedChangeException;
import dev.openwif.token.SigningKeys;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --signing-key-rotation}: every {@link #CHECK_INTERVAL_SECONDS} checks whether the active
 * signing key has reached the rotation interval and, when it has, rotates: the new key is published
 * at once (and announced to the other nodes) and signs only after the publish-ahead delay, so every
 * node verifies it before the first token it signs exists (audited as {@code signing_key.rotated}
 * by {@code scheduler}, in the rotation's own admin transaction: a rotation whose audit row cannot
 * be stored is rolled back and tried again at the next check) and re-reads the keys. Of several
 * nodes sharing the database only one rotates: the rotation is a conditional write on the active
 * key, so the others' attempts change nothing and they pick up the new key on their next re-read.
 * Thread-safe; {@link #close()} stops the thread.
 */
final class ScheduledKeyRotation implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduledKeyRotation.class);

  /** How often the age of the active key is checked. */
  static final long CHECK_INTERVAL_SECONDS = 60;

  static final String ACTOR = "scheduler";

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          task -> Thread.ofPlatform().daemon().name("openwif-key-rotation").unstarted(task));

  /**
   * @param publishAhead how long a new key is published before it signs ({@link
   *     dev.openwif.token.SigningKeyRotation#publishAhead})
   * @param rotated called after this node rotated and re-read its keys: tells the other nodes to
   *     re-read theirs now (not at their next poll)
   */
  ScheduledKeyRotation(
      SigningKeyAdmin admin,
      SigningKeys keys,
      Duration every,
      Duration publishAhead,
      Runnable rotated) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(publishAhead, "publishAhead");
    Objects.requireNonNull(rotated, "rotated");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(every, "every");
    // The task never throws (check catches), so its future carries nothing; close() stops it.
    ScheduledFuture<?> unused =
        thread.scheduleWithFixedDelay(
            () -> check(admin, keys, every, publishAhead, rotated),
            0,
            CHECK_INTERVAL_SECONDS,
            TimeUnit.SECONDS);
  }

  private static void check(
      SigningKeyAdmin admin,
      SigningKeys keys,
      Duration every,
      Duration publishAhead,
      Runnable announce) {
    try {
      admin
          .rotateIfDue(every, publishAhead, ACTOR)
          .ifPresent(
              rotated -> {
                announce.run(); // first: a failed re-read here must not keep the others waiting
                keys.reload();
                LOG.info(
                    "signing key rotated (every {}): {} published, signs from {}; {} verifies"
                        + " until {}",
                    every,
                    rotated.activeKid(),
                    rotated.activatesAt(),
                    rotated.previousKid(),
                    rotated.previousVerifiesUntil());
              });
    } catch (UnauditedChangeException e) {
      LOG.warn(
          "scheduled signing key rotation not made; trying again in {} s: {}",
          CHECK_INTERVAL_SECONDS,
          e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn(
          "scheduled signing key rotation failed; trying again in {} s: {}",
          CHECK_INTERVAL_SECONDS,
          e.getClass().getName());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
