package io.kubitect.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module direction model &lt;- core &lt;- libvirt/kubespray &lt;- cli, examples (and core
 * &lt;- testing, which reaches libvirt and Kubespray through ServiceLoader only) and the rule that
 * native and logging bindings stay where they belong. Runs in examples, the one module that sees
 * every other module's classes (kubitect-cli only on its test class path, for these rules).
 */
class ModuleDirectionTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kubitect");
  }

  @Test
  void modelDependsOnNoOtherModuleAndNoLogging() {
    noClasses()
        .that()
        .resideInAPackage("io.kubitect.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.kubitect.core..",
            "io.kubitect.libvirt..",
            "io.kubitect.kubespray..",
            "io.kubitect.cli..",
            "io.kubitect.examples..",
            "org.slf4j..")
        .check(classes);
  }

  @Test
  void coreDependsOnNoProvisionerInstallerOrApp() {
    noClasses()
        .that()
        .resideInAPackage("io.kubitect.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.kubitect.libvirt..",
            "io.kubitect.kubespray..",
            "io.kubitect.cli..",
            "io.kubitect.examples..")
        .check(classes);
  }

  @Test
  void libvirtAndKubesprayDoNotKnowEachOtherOrTheApp() {
    noClasses()
        .that()
        .resideInAPackage("io.kubitect.libvirt..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.kubitect.kubespray..", "io.kubitect.cli..", "io.kubitect.examples..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.kubitect.kubespray..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.kubitect.libvirt..", "io.kubitect.cli..", "io.kubitect.examples..")
        .check(classes);
  }

  @Test
  void onlyTheLibvirtModuleTouchesLibvirtJava() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.kubitect.libvirt..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.libvirt..")
        .check(classes);
    // JNA also runs @EnabledIfKvm's probe of the KVM API in the testing module.
    noClasses()
        .that()
        .resideOutsideOfPackages("io.kubitect.libvirt..", "io.kubitect.testing..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.sun.jna..")
        .check(classes);
  }

  @Test
  void theTestingModuleIsUsedByNoLibraryAndUsesOnlyCoreAndTheModel() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.kubitect.testing..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.kubitect.testing..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.kubitect.testing..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.kubitect.libvirt..",
            "io.kubitect.kubespray..",
            "io.kubitect.cli..",
            "io.kubitect.examples..")
        .because("the simulated composition comes from ServiceLoader, as for any application")
        .check(classes);
  }

  @Test
  void onlyTheCliUsesALoggingBindingOrTheCliLibrary() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.kubitect.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.slf4j.simple..", "picocli..")
        .check(classes);
  }

  @Test
  void theCliComposesThroughThePublicApi() {
    noClasses()
        .that()
        .resideInAPackage("io.kubitect.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.kubitect.core.spi..",
            "io.kubitect.core.ssh..",
            "io.kubitect.core.loadbalancer..",
            "io.kubitect.libvirt..",
            "io.kubitect.kubespray..",
            "io.kubitect.examples..")
        .because("the app is an embedding like any other: executors come from the class path")
        .check(classes);
  }

  @Test
  void examplesEmbedTheSdkNotTheApp() {
    noClasses()
        .that()
        .resideInAPackage("io.kubitect.examples..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.kubitect.cli..")
        .check(classes);
  }

  @Test
  void theCliClassesAreSeen() {
    assertThat(classes.containPackage("io.kubitect.cli")).as("kubitect-cli is imported").isTrue();
  }
}
