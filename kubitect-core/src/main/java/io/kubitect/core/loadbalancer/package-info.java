/**
 * The load balancers in front of the control plane: {@link
 * io.kubitect.core.loadbalancer.KeepalivedHaproxyConfigurator} renders HAProxy and keepalived
 * configurations and applies them to the load-balancer nodes over SSH, idempotently, validating
 * each file with the real binary on the node before it replaces the running one. {@link
 * io.kubitect.core.loadbalancer.LoadBalancerTuning} holds the timings (health checks, VRRP
 * adverts). See {@code docs/load-balancers.md}.
 */
@NullMarked
package io.kubitect.core.loadbalancer;

import org.jspecify.annotations.NullMarked;
