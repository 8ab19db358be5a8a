package dev.openwif.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManagedMarkTest {
  @Test
  void storedWhenManagedThenMarkAppendedAndRemovable() {
    Optional<String> stored = ManagedMark.stored(Optional.of("Prod"), true);

    assertThat(stored).contains("Prod (managed by wif apply)");
    assertThat(ManagedMark.marked(stored)).isTrue();
    assertThat(ManagedMark.withoutMark(stored)).contains("Prod");
  }

  @Test
  void storedWhenManagedWithoutDescriptionThenMarkAlone() {
    Optional<String> stored = ManagedMark.stored(Optional.empty(), true);

    assertThat(stored).contains(ManagedMark.MARK);
    assertThat(ManagedMark.withoutMark(stored)).isEmpty();
  }

  @Test
  void storedWhenUnmanagedThenDescriptionAsIs() {
    assertThat(ManagedMark.stored(Optional.of("Prod"), false)).contains("Prod");
    assertThat(ManagedMark.marked(Optional.of("Prod"))).isFalse();
    assertThat(ManagedMark.marked(Optional.empty())).isFalse();
  }
}
