package io.kubitect.libvirt.internal;

/** A {@code dir} storage pool the cluster owns on a host: name and target directory. */
record PoolPlan(String name, String path) {}
