package dev.openwif.emulator.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a {@link dev.openwif.emulator.gce.GceMetadataEmulator} on a free port before the annotated
 * class's tests and stops it after them; test constructors, lifecycle methods and test methods
 * receive it by declaring a parameter of that type ({@code baseUrl()}, {@code metadataHost()},
 * {@code issuer()}).
 *
 * <pre>{@code
 * @WithGceMetadataEmulator(serviceAccountEmail = "app@my-project.iam.gserviceaccount.com")
 * class MyWorkloadTest {
 *   @Test
 *   void fetchesAnIdToken(GceMetadataEmulator metadata) { ... metadata.baseUrl() ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(EmulatorExtension.class)
public @interface WithGceMetadataEmulator {
  /** The default service account's email. */
  String serviceAccountEmail() default "openai-wif@my-project.iam.gserviceaccount.com";

  String projectId() default "my-project";

  String zone() default "us-central1-a";

  /** The {@code iss} of minted tokens; empty means the emulator's own base URL. */
  String issuer() default "";
}
