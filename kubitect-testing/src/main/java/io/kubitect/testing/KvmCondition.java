package io.kubitect.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates {@link EnabledIfKvm} with the once-per-JVM {@link KvmProbe}. */
final class KvmCondition implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    boolean annotated =
        context
            .getElement()
            .map(e -> AnnotationSupport.isAnnotated(e, EnabledIfKvm.class))
            .orElse(false);
    if (!annotated) {
      return ConditionEvaluationResult.enabled("no @EnabledIfKvm");
    }
    return evaluate(KvmProbe.cached());
  }

  static ConditionEvaluationResult evaluate(KvmProbe.Result result) {
    return result.usable()
        ? ConditionEvaluationResult.enabled(result.detail())
        : ConditionEvaluationResult.disabled(
            "@EnabledIfKvm: this machine cannot run a KVM guest: " + result.detail());
  }
}
