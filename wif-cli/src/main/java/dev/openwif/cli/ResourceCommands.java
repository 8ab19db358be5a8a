package dev.openwif.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.cli.admin.AdminApiClient;
import dev.openwif.cli.admin.Column;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The subcommands every admin API collection shares: list, create, get, update, delete, enable and
 * disable. Each group ({@code wif providers} and the like) names them with thin subclasses that
 * give the collection, the {@code ID} parameter's item and the field options.
 */
final class ResourceCommands {
  private ResourceCommands() {}

  /** A command on a whole collection. */
  abstract static class OnCollection extends AdminRequestCommand {
    @CommandLine.Mixin final AdminCollection collection;

    OnCollection(AdminCollection collection) {
      this.collection = collection;
    }

    @Override
    List<Column> columns() {
      return collection.columns();
    }
  }

  /** Lists a collection, one page at a time. */
  abstract static class ListItems extends OnCollection {
    @CommandLine.Mixin PageOptions page;

    ListItems(AdminCollection collection) {
      super(collection);
    }

    /** The query: the page's, to which a subclass may add its filters. */
    Map<String, String> query() {
      return page.query();
    }

    @Override
    final JsonNode request(AdminApiClient client) {
      return client.get(collection.path(), query());
    }
  }

  /** Creates an item of a collection. */
  abstract static class CreateItem extends OnCollection {
    @CommandLine.Mixin final BodyFields fields;

    CreateItem(AdminCollection collection, BodyFields fields) {
      super(collection);
      this.fields = fields;
    }

    /** Whether to create it disabled; a subclass with a {@code --disabled} option says. */
    boolean disabled() {
      return false;
    }

    @Override
    final JsonNode request(AdminApiClient client) {
      ObjectNode body = fields.forCreate();
      if (disabled()) {
        body.put("enabled", false);
      }
      return client.post(collection.path(), body);
    }
  }

  /** A command on one item, named by its id. */
  abstract static class OnItem extends AdminRequestCommand {
    @CommandLine.Mixin final AdminItem item;

    OnItem(AdminItem item) {
      this.item = item;
    }

    @Override
    List<Column> columns() {
      return item.collection.columns();
    }
  }

  /** Shows an item. */
  abstract static class GetItem extends OnItem {
    GetItem(AdminItem item) {
      super(item);
    }

    @Override
    final JsonNode request(AdminApiClient client) {
      return client.get(item.path());
    }
  }

  /** Changes an item: only the fields given change. */
  abstract static class UpdateItem extends OnItem {
    @CommandLine.Mixin final BodyFields fields;

    UpdateItem(AdminItem item, BodyFields fields) {
      super(item);
      this.fields = fields;
    }

    @Override
    final JsonNode request(AdminApiClient client) {
      ObjectNode body = fields.forUpdate();
      return client.post(item.path(), body);
    }
  }

  /** Deletes an item. */
  abstract static class DeleteItem extends OnItem {
    DeleteItem(AdminItem item) {
      super(item);
    }

    @Override
    final JsonNode request(AdminApiClient client) {
      return client.delete(item.path());
    }
  }

  /** Enables or disables an item. */
  abstract static class SetEnabled extends OnItem {
    private final boolean enabled;

    SetEnabled(AdminItem item, boolean enabled) {
      super(item);
      this.enabled = enabled;
    }

    @Override
    final JsonNode request(AdminApiClient client) {
      return client.post(
          item.path(), AdminApiClient.json().createObjectNode().put("enabled", enabled));
    }
  }
}
