package io.kubitect.core.picture;

import io.kubitect.core.SpecValidator;
import io.kubitect.core.ValidationException;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;

/**
 * Draws a cluster specification as an SVG picture: the hosts as boxes with their VMs inside (role,
 * name, address or DHCP, vCPU, RAM, main disk and data disks), the API endpoint (the virtual IP and
 * the load balancers that hold it), the network (mode, CIDR, bridge, gateway, DNS), and the failure
 * domains: a warning mark on every host whose loss alone takes down the control plane (it holds a
 * majority of the masters, or all of them) or the virtual IP (it holds every load balancer, or the
 * only one).
 *
 * <p>The output depends on the specification only: hosts and nodes keep the specification's order,
 * coordinates are integers, nothing carries a time or a locale. So the same specification always
 * gives the same bytes, which the golden-file tests rely on. Every text that comes from the
 * specification is cut to fit its box (ending with an ellipsis) and XML-escaped.
 */
public final class TopologyPicture {
  private TopologyPicture() {}

  /**
   * The SVG document (UTF-8 text, with its XML declaration) for a specification.
   *
   * @throws ValidationException when the specification has an error (warnings alone are fine)
   */
  public static String svg(ClusterSpec spec) {
    SpecValidator.validate(spec).throwIfInvalid();
    return svg(Topology.of(spec));
  }

  /**
   * Draws an already resolved topology without validating anything, for the tests that feed it what
   * the validator would refuse (hostile names, hosts nobody declared).
   */
  static String svg(Topology topology) {
    return new PictureRenderer(topology).render();
  }
}
