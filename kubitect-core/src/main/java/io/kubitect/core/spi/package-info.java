/**
 * The executor SPI: what a provisioner, a load-balancer configurator, a Kubernetes installer or a
 * readiness probe implements, and the resolved {@link io.kubitect.core.spi.Topology} they work
 * from. Applications compose executors into {@link io.kubitect.core.Kubitect} but do not call them.
 * Types here may use the API's value types ({@link io.kubitect.core.Step}, {@link
 * io.kubitect.core.NodeStatus}, ...) but never the facade or its internals.
 */
@NullMarked
package io.kubitect.core.spi;

import org.jspecify.annotations.NullMarked;
