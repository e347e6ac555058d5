package io.kubitect.examples;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.ApplyRun;
import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import io.kubitect.core.NodeRole;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.Plan;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the split of {@code io.kubitect.core} (what applications call), {@code core.spi} (what
 * executors implement) and internals (package-private, or in an {@code internal} package of the
 * module that owns it). Runs in examples, which sees every module.
 */
class ApiSplitTest {
  private static JavaClasses main;

  @BeforeAll
  static void importClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kubitect");
  }

  @Test
  void executorsUseTheSpiNotTheFacade() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.kubitect.core.spi..",
            "io.kubitect.core.ssh..",
            "io.kubitect.core.loadbalancer..",
            "io.kubitect.libvirt..",
            "io.kubitect.kubespray..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(
            Kubitect.class,
            Kubitect.Builder.class,
            Plan.class,
            ApplyRun.class,
            AppliedCluster.class,
            Approval.class,
            ApplyAction.class)
        .because("executors are called by the facade and must not call it back")
        .check(main);
  }

  @Test
  void internalPackagesAreUsedOnlyByTheirOwnModule() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.kubitect.libvirt..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.kubitect.libvirt.internal..")
        .check(main);
    noClasses()
        .that()
        .resideOutsideOfPackage("io.kubitect.kubespray..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.kubitect.kubespray.internal..")
        .check(main);
  }

  @Test
  void theApiPackageIsExactlyThisListEverythingElseThereIsPackagePrivate() {
    Set<String> api =
        main.stream()
            .filter(c -> c.getPackageName().equals("io.kubitect.core"))
            .filter(JavaClass::isTopLevelClass)
            .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
            .map(JavaClass::getSimpleName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(api)
        .containsExactlyInAnyOrder(
            "AppliedCluster",
            "ApplyAction",
            "ApplyCancelledException",
            "ApplyException",
            "ApplyRun",
            "Approval",
            "ChangeKind",
            "ChangeRefusedException",
            "ClusterBusyException",
            "ClusterHealth",
            "ClusterNames",
            "ClusterSummary",
            "DamagedStateException",
            "DrillOptions",
            "DrillReport",
            "Kubitect",
            "KubitectEvent",
            "KubitectListener",
            "NodePlan",
            "NodeRole",
            "NodeStatus",
            "Phase",
            "Plan",
            "PlannedChange",
            "Preflight",
            "ProvisioningRecord",
            "ResourceChange",
            "Severity",
            "SpecValidator",
            "StalePlanException",
            "Step",
            "StepOutcome",
            "ValidationException",
            "ValidationReport",
            "Verdict",
            "Violation");
  }

  @Test
  void theSpiUsesOnlyTheApisValueTypes() {
    DescribedPredicate<JavaClass> facade =
        resideInAPackage("io.kubitect.core")
            .and(
                DescribedPredicate.not(
                    belongToAnyOf(
                        Phase.class,
                        Step.class,
                        StepOutcome.class,
                        NodeRole.class,
                        NodeStatus.class,
                        ResourceChange.class)));
    noClasses()
        .that()
        .resideInAPackage("io.kubitect.core.spi..")
        .should()
        .dependOnClassesThat(facade)
        .check(main);
  }
}
