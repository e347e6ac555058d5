package io.kubitect.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module direction model &lt;- core &lt;- libvirt/kubespray &lt;- examples (and core
 * &lt;- testing, which reaches libvirt and Kubespray through ServiceLoader only) and the rule that
 * native and logging bindings stay where they belong. Runs in examples, the one module that sees
 * every other module's classes.
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
            "io.kubitect.libvirt..", "io.kubitect.kubespray..", "io.kubitect.examples..")
        .check(classes);
  }

  @Test
  void libvirtAndKubesprayDoNotKnowEachOtherOrTheApp() {
    noClasses()
        .that()
        .resideInAPackage("io.kubitect.libvirt..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.kubitect.kubespray..", "io.kubitect.examples..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.kubitect.kubespray..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.kubitect.libvirt..", "io.kubitect.examples..")
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
            "io.kubitect.libvirt..", "io.kubitect.kubespray..", "io.kubitect.examples..")
        .because("the simulated composition comes from ServiceLoader, as for any application")
        .check(classes);
  }

  @Test
  void librariesUseNoLoggingBindingOrCliLibrary() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.kubitect.examples..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.slf4j.simple..", "picocli..")
        .check(classes);
  }
}
