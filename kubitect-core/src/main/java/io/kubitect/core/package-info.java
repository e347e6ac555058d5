/**
 * Core of the SDK: validation, planning, orchestration of an apply, cluster state, SSH and the
 * keepalived/HAProxy load balancer, and the service interfaces the provisioner and installer
 * modules implement.
 */
@NullMarked
package io.kubitect.core;

import org.jspecify.annotations.NullMarked;
