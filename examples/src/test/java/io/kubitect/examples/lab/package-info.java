/**
 * The end-to-end lab: the SDK drives real VMs under QEMU on several lab hosts (network namespaces
 * with their own libvirtd), from apply through the loss of a host to destroy. {@link
 * io.kubitect.examples.lab.E2eLab} is the driver, run by {@code E2eLabIT} in the build and by
 * {@code bench/e2e-lab}.
 */
@NullMarked
package io.kubitect.examples.lab;

import org.jspecify.annotations.NullMarked;
