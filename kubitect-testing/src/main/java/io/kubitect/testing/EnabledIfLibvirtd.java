package io.kubitect.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test (or class) only when a local libvirtd answers: its socket exists, is a socket, a
 * connection to it succeeds within two seconds, and the daemon replies to one libvirt RPC call
 * ({@code REMOTE_PROC_AUTH_LIST}, the first call every client makes; it needs no authentication and
 * changes nothing) with a well-formed reply. Otherwise the test is skipped and the reason names the
 * step that failed. The check takes a few milliseconds.
 *
 * <pre>{@code
 * @Test
 * @EnabledIfLibvirtd
 * void definesARealDomain() { ... }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LibvirtdCondition.class)
public @interface EnabledIfLibvirtd {
  /**
   * The daemon's read-write socket: the monolithic libvirtd's by default; {@code
   * /var/run/libvirt/virtqemud-sock} for the modular QEMU daemon.
   */
  String socket() default "/var/run/libvirt/libvirt-sock";
}
