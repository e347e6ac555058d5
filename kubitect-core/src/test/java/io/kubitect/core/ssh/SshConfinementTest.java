package io.kubitect.core.ssh;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** sshj stays inside {@code io.kubitect.core.ssh}: the one place that creates SSH clients. */
class SshConfinementTest {
  @Test
  void onlyTheSshPackageUsesSshj() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kubitect");
    noClasses()
        .that()
        .resideOutsideOfPackage("io.kubitect.core.ssh")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("net.schmizz..", "com.hierynomus..")
        .because("only io.kubitect.core.ssh creates SSH clients")
        .check(classes);
  }
}
