package dev.openwif.emulator.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a {@link dev.openwif.emulator.gke.GkeIssuerEmulator} on a free port, writing its projected
 * token into a temporary directory, before the annotated class's tests and stops it (removing the
 * directory) after them; tests receive it by declaring a parameter of that type ({@code
 * tokenFile()}, {@code issuer()}, {@code baseUrl()}).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(EmulatorExtension.class)
public @interface WithGkeIssuerEmulator {
  String namespace() default "default";

  String serviceAccount() default "openai-wif";

  String podName() default "openai-wif-app";

  /** The token's {@code aud} values. */
  String[] audience() default {"https://api.openai.com/v1"};

  /** The token lifetime; at least 1 (Kubernetes itself requires 600). */
  long expirationSeconds() default 3600;

  /** The {@code iss}; empty means the emulator's own base URL. */
  String issuer() default "";
}
