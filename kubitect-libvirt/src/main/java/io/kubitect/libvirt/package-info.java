/**
 * Infrastructure provisioner over libvirt: networks, pools, volumes, cloud-init and domains on
 * local and remote hosts, or on simulated hosts. The API is {@link
 * io.kubitect.libvirt.LibvirtProvisioner}; everything else lives in the internal package.
 */
@NullMarked
package io.kubitect.libvirt;

import org.jspecify.annotations.NullMarked;
