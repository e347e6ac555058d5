/**
 * The topology picture: {@link io.kubitect.core.picture.TopologyPicture#svg} draws a cluster
 * specification as SVG text (hosts with their VMs, the API endpoint with its virtual IP and load
 * balancers, the network) and marks the hosts whose loss alone would take down the control plane or
 * the virtual IP. The output is deterministic, so it can be compared with golden files. See {@code
 * docs/topology-picture.md}.
 */
@NullMarked
package io.kubitect.core.picture;

import org.jspecify.annotations.NullMarked;
