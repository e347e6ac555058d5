package io.kubitect.libvirt;

import io.kubitect.core.spi.ExecutorProvider;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.ssh.SshReadinessProbe;
import io.kubitect.model.KubitectException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Makes libvirt the default provisioner of {@code Kubitect.builder()}: on real hosts it waits until
 * every node answers SSH as the specification's user with the host key the SDK gave it and
 * cloud-init has finished; with simulated hosts nothing boots. Known hosts, for hosts reached over
 * {@code qemu+ssh}, are {@code ~/.ssh/known_hosts}; base images are cached in {@code
 * ~/.cache/kubitect/images}. The environment variable {@code KUBITECT_DOMAIN_TYPE} ({@code auto},
 * {@code kvm} or {@code qemu}) chooses the domain type; {@code qemu} is for hosts whose KVM cannot
 * run guests.
 */
public final class LibvirtExecutors implements ExecutorProvider {
  /** The environment variable that chooses the domain type. */
  public static final String DOMAIN_TYPE_VARIABLE = "KUBITECT_DOMAIN_TYPE";

  @Override
  public Optional<InfrastructureProvisioner> provisioner(Context context) {
    return Optional.of(provisioner(context, System.getenv(DOMAIN_TYPE_VARIABLE)));
  }

  /** The provisioner for {@code context} with the domain type named by {@code domainType}. */
  static InfrastructureProvisioner provisioner(Context context, @Nullable String domainType) {
    LibvirtProvisioner.Builder builder =
        LibvirtProvisioner.builder()
            .home(context.home())
            .knownHosts(context.home().resolve(".ssh").resolve("known_hosts"))
            .imageCache(context.home().resolve(".cache").resolve("kubitect").resolve("images"));
    if (context.simulatedHosts()) {
      builder.simulated();
    } else {
      builder.readinessProbe(new SshReadinessProbe());
    }
    builder.domainType(domainType(domainType));
    return builder.build();
  }

  static LibvirtProvisioner.DomainType domainType(@Nullable String value) {
    if (value == null || value.isBlank()) {
      return LibvirtProvisioner.DomainType.AUTO;
    }
    for (LibvirtProvisioner.DomainType type : LibvirtProvisioner.DomainType.values()) {
      if (type.name().equalsIgnoreCase(value.strip())) {
        return type;
      }
    }
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    throw new KubitectException(
        DOMAIN_TYPE_VARIABLE
            + " must be auto, kvm or qemu, was '"
            + shown.replaceAll("\\p{Cntrl}", "?")
            + "'");
  }
}
