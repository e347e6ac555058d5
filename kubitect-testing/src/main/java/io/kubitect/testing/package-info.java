/**
 * Kubitect as a fixture in JUnit 5 tests.
 *
 * <ul>
 *   <li>{@link io.kubitect.testing.KubitectTest} and {@link io.kubitect.testing.KubitectExtension}:
 *       a {@code Kubitect} on simulated hosts with its own temporary state and home directories, a
 *       specification applied before the test (or class), everything destroyed and deleted after
 *       it; {@code Kubitect}, {@code AppliedCluster}, the {@code ClusterSpec}, the {@link
 *       io.kubitect.testing.RecordingListener} and the {@link io.kubitect.testing.ClusterDirectory}
 *       path as parameters.
 *   <li>{@link io.kubitect.testing.EnabledIfLibvirtd} and {@link io.kubitect.testing.EnabledIfKvm}:
 *       conditions for tests that need the machine's libvirtd or KVM.
 *   <li>{@link io.kubitect.testing.InfrastructureProvisionerContract}: what every {@code
 *       InfrastructureProvisioner} must do, as an abstract test class to extend.
 *   <li>{@link io.kubitect.testing.RecordingListener} and {@link io.kubitect.testing.SpecFixtures}:
 *       typed events with pairing checks, and specifications to test with.
 * </ul>
 *
 * See {@code docs/testing.md}.
 */
@NullMarked
package io.kubitect.testing;

import org.jspecify.annotations.NullMarked;
