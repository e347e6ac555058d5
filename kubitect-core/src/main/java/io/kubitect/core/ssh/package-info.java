/**
 * SSH to hosts and nodes: the only place in the SDK that creates SSH clients. {@link
 * io.kubitect.core.ssh.SshConnections} keeps one verified, key-authenticated connection per target
 * and runs {@link io.kubitect.core.ssh.RemoteCommand}s on it: every argument is shell-quoted, host
 * keys are checked against the cluster's known_hosts file and a changed key is refused with a
 * {@link io.kubitect.core.spi.HostKeyMismatchException}. {@link
 * io.kubitect.core.ssh.SshReadinessProbe} tells the provisioner when a freshly booted node is
 * ready.
 */
@NullMarked
package io.kubitect.core.ssh;

import org.jspecify.annotations.NullMarked;
