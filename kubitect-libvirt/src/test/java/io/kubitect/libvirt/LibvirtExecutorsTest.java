package io.kubitect.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubitect.core.spi.ExecutorProvider;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.libvirt.LibvirtProvisioner.DomainType;
import io.kubitect.model.KubitectException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KUBITECT_DOMAIN_TYPE: how the default provisioner is told to use software emulation. */
class LibvirtExecutorsTest {
  @Test
  void theVariableChoosesTheDomainType() {
    assertThat(LibvirtExecutors.domainType(null)).isEqualTo(DomainType.AUTO);
    assertThat(LibvirtExecutors.domainType("")).isEqualTo(DomainType.AUTO);
    assertThat(LibvirtExecutors.domainType("qemu")).isEqualTo(DomainType.QEMU);
    assertThat(LibvirtExecutors.domainType(" KVM ")).isEqualTo(DomainType.KVM);
    assertThat(LibvirtExecutors.domainType("Auto")).isEqualTo(DomainType.AUTO);
  }

  @Test
  void anythingElseIsOneLineNamingTheVariable() {
    assertThatThrownBy(() -> LibvirtExecutors.domainType("vmware"))
        .isInstanceOf(KubitectException.class)
        .hasMessage("KUBITECT_DOMAIN_TYPE must be auto, kvm or qemu, was 'vmware'");
    assertThatThrownBy(() -> LibvirtExecutors.domainType("q\nemu\u0000" + "x".repeat(100_000)))
        .isInstanceOf(KubitectException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(120));
  }

  @Test
  void theDefaultProvisionerIsBuiltWithIt(@TempDir Path home) {
    try (InfrastructureProvisioner p =
        LibvirtExecutors.provisioner(new ExecutorProvider.Context(home, true, false), "qemu")) {
      assertThat(p.simulated()).isTrue();
    }
  }
}
