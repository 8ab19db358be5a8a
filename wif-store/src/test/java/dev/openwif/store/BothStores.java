package dev.openwif.store;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs a {@link StoreTest} once per backend, giving it a fresh {@link StoreFixture} closed
 * afterwards.
 */
final class BothStores implements TestTemplateInvocationContextProvider {
  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return true;
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
      ExtensionContext context) {
    return Arrays.stream(StoreFixture.Backend.values()).map(Invocation::new);
  }

  private record Invocation(StoreFixture.Backend backend) implements TestTemplateInvocationContext {
    @Override
    public String getDisplayName(int index) {
      return backend.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(new Resolver(backend));
    }
  }

  private static final class Resolver implements ParameterResolver, AfterEachCallback {
    private final StoreFixture.Backend backend;
    private StoreFixture fixture;

    Resolver(StoreFixture.Backend backend) {
      this.backend = backend;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      Class<?> type = p.getParameter().getType();
      return type == StoreFixture.class || type == JdbcFederationStore.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      if (fixture == null) {
        fixture = new StoreFixture(backend);
      }
      return p.getParameter().getType() == StoreFixture.class ? fixture : fixture.store();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
      if (fixture != null) {
        fixture.close();
        fixture = null;
      }
    }
  }
}
