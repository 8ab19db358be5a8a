package dev.openwif.cli.apply;

import java.util.List;
import java.util.Objects;

/** One step of a {@link Plan}: create an object, change some of its fields, or delete it. */
public sealed interface Change {
  Address address();

  /** An object the file names and the server does not have. */
  record Create(Resource desired) implements Change {
    public Create {
      Objects.requireNonNull(desired, "desired");
    }

    @Override
    public Address address() {
      return desired.address();
    }
  }

  /** An object both have, with the fields that differ (never empty). */
  record Update(LiveResource live, Resource desired, List<FieldChange> fields) implements Change {
    public Update {
      Objects.requireNonNull(live, "live");
      Objects.requireNonNull(desired, "desired");
      fields = List.copyOf(fields);
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("an update changes at least one field");
      }
    }

    @Override
    public Address address() {
      return desired.address();
    }
  }

  /** A managed object the file no longer names (only with {@code --prune}). */
  record Delete(LiveResource live) implements Change {
    public Delete {
      Objects.requireNonNull(live, "live");
    }

    @Override
    public Address address() {
      return live.address();
    }
  }
}
