/**
 * Internals of the Kubespray installer: inventory and variable rendering, the release table, the
 * Kubespray checkout, the Ansible child process and its output parser, and the kubeconfig rewrite.
 *
 * <p><b>Not API.</b> Classes here are public only so that {@link
 * io.kubitect.kubespray.KubesprayInstaller} can use them; they change without notice.
 */
@NullMarked
package io.kubitect.kubespray.internal;

import org.jspecify.annotations.NullMarked;
