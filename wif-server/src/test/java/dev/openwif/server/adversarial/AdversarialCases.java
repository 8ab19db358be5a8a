package dev.openwif.server.adversarial;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Counts the adversarial suite's cases (every test invocation of a class extended with this; each
 * parameterized case counts once) and prints the count per class and, when the whole test run ends,
 * the total: {@code Adversarial suite: N cases (M failed)}. Thread-safe.
 */
public final class AdversarialCases implements AfterTestExecutionCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(AdversarialCases.class);
  private static final String RUN = "run";
  private static final String CLASS = "class";

  /** A tally; the run-wide one is closed by JUnit when the run ends, which prints the total. */
  static final class Tally implements AutoCloseable {
    final AtomicInteger cases = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    private final boolean printOnClose;

    Tally(boolean printOnClose) {
      this.printOnClose = printOnClose;
    }

    void count(boolean failure) {
      cases.incrementAndGet();
      if (failure) {
        failed.incrementAndGet();
      }
    }

    @Override
    public void close() {
      if (printOnClose) {
        System.out.println(
            "Adversarial suite: " + cases.get() + " cases (" + failed.get() + " failed)");
      }
    }
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    boolean failure = context.getExecutionException().isPresent();
    tally(context.getRoot(), RUN, true).count(failure);
    tally(classContext(context), CLASS, false).count(failure);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Tally own = tally(context, CLASS, false);
    System.out.println(
        "Adversarial cases in "
            + context.getRequiredTestClass().getSimpleName()
            + ": "
            + own.cases.get()
            + " ("
            + own.failed.get()
            + " failed)");
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  private static Tally tally(ExtensionContext context, String key, boolean printOnClose) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(key, k -> new Tally(printOnClose), Tally.class);
  }
}
