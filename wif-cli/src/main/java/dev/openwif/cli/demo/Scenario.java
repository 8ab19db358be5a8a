package dev.openwif.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.openwif.client.SubjectTokenProvider;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One scenario of the guide as the demo runs it.
 *
 * @param number the section number, e.g. {@code 2}
 * @param title the section title
 * @param source how the workload gets its subject token, in words (printed above the fetch)
 * @param provider the client library's subject token provider for that source
 * @param target the provider and service account ids the exchange names
 * @param input the text sent to {@code POST /v1/responses}, the guide's own
 * @param claimsCheck checks the decoded claims against the guide, throwing {@link DemoFailure} on a
 *     mismatch
 */
record Scenario(
    String number,
    String title,
    String source,
    SubjectTokenProvider provider,
    GuideSetup.Target target,
    String input,
    Consumer<ObjectNode> claimsCheck) {
  Scenario {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(claimsCheck, "claimsCheck");
  }
}
