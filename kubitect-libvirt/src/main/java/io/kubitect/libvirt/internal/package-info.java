/**
 * Implementation of the libvirt provisioner; not API, may change without notice. The only package
 * of the SDK that imports libvirt-java ({@code org.libvirt}), and of it only {@code
 * LibvirtSession}.
 *
 * <p>Layers: {@code Layout} resolves a topology into per-host plans (names, MACs, sizes, cloud-init
 * content); the renderers ({@code NetworkXml}, {@code PoolXml}, {@code VolumeXml}, {@code
 * DomainXml}, {@code CloudInit}, {@code NoCloudIso}) turn plans into text and bytes; {@code
 * HostReconciler} compares a plan with what a {@code Hypervisor} holds and makes the calls that
 * differ; {@code Engine} runs hosts in parallel and reports.
 */
@NullMarked
package io.kubitect.libvirt.internal;

import org.jspecify.annotations.NullMarked;
