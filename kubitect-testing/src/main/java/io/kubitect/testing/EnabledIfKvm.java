package io.kubitect.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test (or class) only when this machine can run a KVM guest. Checked once per JVM,
 * through the KVM API itself (no QEMU, no libvirt), in this order; the first step that fails skips
 * the test with its reason:
 *
 * <ol>
 *   <li>{@code /dev/kvm} exists and opens for reading and writing (permissions, the kvm group);
 *   <li>{@code KVM_GET_API_VERSION} answers 12, the stable API;
 *   <li>{@code KVM_CREATE_VM} creates a VM and {@code KVM_CREATE_VCPU} a vCPU (fails when the
 *       virtualisation extensions are off or taken, or in a container without them);
 *   <li>on x86-64: a guest of one page whose reset vector holds {@code hlt} runs ({@code KVM_RUN})
 *       and exits with {@code KVM_EXIT_HLT}, so a guest instruction really executed. On other
 *       architectures this step is left out and the reason says so.
 * </ol>
 *
 * Everything is released right after (the VM, its vCPU and memory); the whole check takes about a
 * millisecond, and at most 10 seconds before it counts as failed.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KvmCondition.class)
public @interface EnabledIfKvm {}
