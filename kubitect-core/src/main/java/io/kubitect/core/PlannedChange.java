package io.kubitect.core;

import java.util.Optional;

/**
 * One difference between the applied and the desired specification, judged.
 *
 * @param path where: YAML keys, elements identified by id or name ({@code
 *     cluster.nodes.worker.instances[id=3].cpu}); a whole added or removed element is one change on
 *     the element's path
 * @param node the node the change belongs to ({@code <cluster>-<role>-<id>}), if any
 * @param reason why it is dangerous or refused; for an allowed change empty, or what it removes
 */
public record PlannedChange(
    String path,
    ChangeKind kind,
    Optional<String> before,
    Optional<String> after,
    Optional<String> node,
    Verdict verdict,
    String reason) {

  @Override
  public String toString() {
    String values =
        switch (kind) {
          case CREATE -> after.map(a -> " = " + a).orElse("");
          case DELETE -> before.map(b -> " (was " + b + ")").orElse("");
          case MODIFY -> ": " + before.orElse("(unset)") + " -> " + after.orElse("(unset)");
        };
    return verdict
        + " "
        + kind.toString().toLowerCase(java.util.Locale.ROOT)
        + " "
        + path
        + values
        + (reason.isEmpty() ? "" : " — " + reason);
  }
}
