/** Kubernetes installer over Kubespray and Ansible: inventory, variables and playbook runs. */
@NullMarked
package io.kubitect.kubespray;

import org.jspecify.annotations.NullMarked;
