/**
 * Infrastructure provisioner over libvirt: networks, pools, volumes, cloud-init and domains on
 * local and remote hosts.
 */
@NullMarked
package io.kubitect.libvirt;

import org.jspecify.annotations.NullMarked;
