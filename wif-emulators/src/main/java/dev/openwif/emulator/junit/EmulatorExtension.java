package dev.openwif.emulator.junit;

import dev.openwif.emulator.gce.GceMetadataEmulator;
import dev.openwif.emulator.gke.GkeIssuerEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs the emulators named by {@link WithGceMetadataEmulator} and {@link WithGkeIssuerEmulator} for
 * one test class: started once in the class's extension context (before all tests, or earlier when
 * the constructor asks for one), stopped when that context closes, and injected as parameters of
 * their own types.
 *
 * <p>Thread-safe as JUnit's store is: one emulator per class even with parallel test methods.
 */
public final class EmulatorExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmulatorExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    if (gceAnnotation(testClass).isPresent()) {
      gce(context);
    }
    if (gkeAnnotation(testClass).isPresent()) {
      gke(context);
    }
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    Class<?> testClass = extensionContext.getRequiredTestClass();
    return (type == GceMetadataEmulator.class && gceAnnotation(testClass).isPresent())
        || (type == GkeIssuerEmulator.class && gkeAnnotation(testClass).isPresent());
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    if (type == GceMetadataEmulator.class) {
      return gce(extensionContext);
    }
    if (type == GkeIssuerEmulator.class) {
      return gke(extensionContext);
    }
    throw new ParameterResolutionException("EmulatorExtension cannot supply a " + type.getName());
  }

  private static GceMetadataEmulator gce(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    WithGceMetadataEmulator settings =
        gceAnnotation(classContext.getRequiredTestClass()).orElseThrow();
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            GceMetadataEmulator.class, key -> new Running(startGce(settings)), Running.class)
        .emulator(GceMetadataEmulator.class);
  }

  private static GkeIssuerEmulator gke(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    WithGkeIssuerEmulator settings =
        gkeAnnotation(classContext.getRequiredTestClass()).orElseThrow();
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            GkeIssuerEmulator.class, key -> new Running(startGke(settings)), Running.class)
        .emulator(GkeIssuerEmulator.class);
  }

  private static GceMetadataEmulator startGce(WithGceMetadataEmulator settings) {
    GceMetadataEmulator.Builder builder =
        GceMetadataEmulator.builder()
            .serviceAccountEmail(settings.serviceAccountEmail())
            .projectId(settings.projectId())
            .zone(settings.zone());
    if (!settings.issuer().isEmpty()) {
      builder.issuer(settings.issuer());
    }
    return builder.start();
  }

  private static GkeIssuerEmulator startGke(WithGkeIssuerEmulator settings) {
    GkeIssuerEmulator.Builder builder =
        GkeIssuerEmulator.builder()
            .namespace(settings.namespace())
            .serviceAccount(settings.serviceAccount())
            .podName(settings.podName())
            .audiences(List.of(settings.audience()))
            .expiration(Duration.ofSeconds(settings.expirationSeconds()));
    if (!settings.issuer().isEmpty()) {
      builder.issuer(settings.issuer());
    }
    return builder.start();
  }

  /** The context of the class that carries the annotation: a method context's parent. */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  private static Optional<WithGceMetadataEmulator> gceAnnotation(Class<?> testClass) {
    return AnnotationSupport.findAnnotation(testClass, WithGceMetadataEmulator.class);
  }

  private static Optional<WithGkeIssuerEmulator> gkeAnnotation(Class<?> testClass) {
    return AnnotationSupport.findAnnotation(testClass, WithGkeIssuerEmulator.class);
  }

  /** Closes the emulator when JUnit closes the class context. */
  @SuppressWarnings(
      "deprecation") // CloseableResource keeps JUnit versions before 5.13 closing it too.
  private record Running(AutoCloseable running)
      implements ExtensionContext.Store.CloseableResource {
    <E> E emulator(Class<E> type) {
      return type.cast(running);
    }

    @Override
    public void close() throws Exception {
      running.close();
    }
  }
}
