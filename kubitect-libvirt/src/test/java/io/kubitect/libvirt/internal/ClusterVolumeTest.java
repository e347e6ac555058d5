package io.kubitect.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which volumes in one of a cluster's pools removals and destroys may delete: only those named for
 * the cluster's VMs, its base image (main pool only) and their markers; never a file someone else
 * put there, one of a cluster whose name extends this one's, or a name that looks like a path.
 */
class ClusterVolumeTest {
  @Test
  void theClustersVolumesAndMarkers() {
    for (String volume :
        List.of(
            "demo-master-1-main-disk",
            "demo-worker-1-rook-data-disk",
            "demo-lb-1-cloud-init.iso",
            "demo-lb-1-cloud-init.iso.partial",
            "demo-worker-a-b-scratch-data-disk")) {
      assertThat(HostReconciler.clusterVolume(volume, "demo", false)).as(volume).isTrue();
    }
    assertThat(HostReconciler.clusterVolume("base_volume", "demo", true)).isTrue();
    assertThat(HostReconciler.clusterVolume("base_volume.partial", "demo", true)).isTrue();
  }

  @Test
  void neverAnotherFile() {
    for (String volume :
        List.of(
            "someone-elses.img",
            "base_volume.bak",
            "demo-worker-1-notes.txt",
            "demo-worker--main-disk",
            "demo-prod-worker-1-main-disk", // cluster demo-prod
            "other-worker-1-main-disk",
            "../demo-worker-1-main-disk",
            "demo-worker-1-main-disk/../../etc",
            "demo-master-1-main-disk.partial.partial",
            "",
            "x".repeat(100_000))) {
      assertThat(HostReconciler.clusterVolume(volume, "demo", true)).as(volume).isFalse();
    }
    // the base image lives in the main pool only: in a data pool it is someone else's file
    assertThat(HostReconciler.clusterVolume("base_volume", "demo", false)).isFalse();
  }
}
