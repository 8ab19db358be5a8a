package dev.openwif.server.health;

import java.util.Objects;

/**
 * One readiness check's result.
 *
 * @param name what was checked ({@code database}, {@code federation_snapshot}, ...)
 * @param ok whether it passed
 * @param required whether a failure makes the node not ready (503); a check that is not required is
 *     reported only
 * @param detail what was found, for the operator: no secret, no token
 */
public record Check(String name, boolean ok, boolean required, String detail) {
  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(detail, "detail");
  }
}
