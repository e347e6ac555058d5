package io.kubitect.libvirt.internal;

import io.kubitect.core.ApplyListener;
import io.kubitect.core.ClusterCredentials;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.SshKeyPair;
import io.kubitect.core.Step;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Makes one host hold what its {@link HostPlan} asks for. The work is a graph of small tasks on the
 * host's executor (whose size bounds the calls in flight): network, pools, reading existing domains
 * and the domain type start together; the base image follows the main pool; each VM follows what it
 * needs and VMs go in parallel. Every task reads before it writes and writes only what differs, so
 * an unchanged re-apply makes no mutating call. Failures stay with the node they concern; a failure
 * of shared resources (network, pool, base image) fails the host's nodes.
 */
final class HostReconciler {
  private final HostPlan plan;
  private final Hypervisor hv;
  private final Executor executor;
  private final ApplyListener listener;
  private final Settings settings;
  private final Map<String, Set<String>> volumes = new ConcurrentHashMap<>();

  HostReconciler(
      HostPlan plan, Hypervisor hv, Executor executor, ApplyListener listener, Settings settings) {
    this.plan = plan;
    this.hv = hv;
    this.executor = executor;
    this.listener = listener;
    this.settings = settings;
  }

  /** What was done to a VM (defined and running), with the detail reported in events. */
  record VmOutcome(VmPlan vm, ResourceChange change, String detail) {}

  /**
   * The outcome for one node: its status, and the VM when it is defined and running (the engine
   * then waits for its readiness).
   */
  record Result(Optional<VmPlan> vm, NodeStatus status) {}

  // ---------------------------------------------------------------- apply

  /**
   * Reconciles the host. The future completes with every VM's outcome and the statuses of owned
   * nodes removed; it never completes exceptionally (failures become {@code FAILED} statuses).
   */
  CompletableFuture<List<Result>> apply(ClusterCredentials credentials) {
    CompletableFuture<Void> network =
        tracked(Step.onHost(Phase.PROVISION, networkAction(), plan.name()), this::ensureNetwork);
    Map<String, CompletableFuture<Void>> pools = new LinkedHashMap<>();
    for (PoolPlan pool : plan.pools()) {
      pools.put(
          pool.name(),
          trackedAsync(
              Step.onHost(Phase.PROVISION, "pool " + pool.name(), plan.name()),
              () -> ensurePool(pool)));
    }
    CompletableFuture<List<String>> domainNames = async(hv::domainNames);
    CompletableFuture<String> domainType = async(this::domainType);
    CompletableFuture<Void> mainPool = pools.get(plan.mainPool().name());
    if (mainPool == null) {
      throw new IllegalStateException("no main pool task");
    }
    CompletableFuture<Void> base =
        mainPool.thenCompose(
            v ->
                tracked(
                    Step.onHost(Phase.PROVISION, "base image " + plan.imageSource(), plan.name()),
                    this::ensureBaseImage));

    List<CompletableFuture<Result>> results = new ArrayList<>();
    for (VmPlan vm : plan.vms()) {
      List<CompletableFuture<?>> needs = new ArrayList<>();
      needs.add(network);
      needs.add(base);
      needs.add(domainType);
      for (VolumePlan volume : vm.volumes()) {
        CompletableFuture<Void> pool = pools.get(volume.pool());
        if (pool != null) {
          needs.add(pool);
        }
      }
      CompletableFuture<Optional<Hypervisor.DomainState>> existing =
          domainNames.thenComposeAsync(
              names ->
                  names.contains(vm.name())
                      ? async(() -> hv.domain(vm.name()))
                      : CompletableFuture.completedFuture(Optional.empty()),
              executor);
      needs.add(existing);
      Step step = Step.onNode(Phase.PROVISION, "vm", plan.name(), vm.name());
      listener.started(step);
      CompletableFuture<Result> outcome =
          CompletableFuture.allOf(needs.toArray(CompletableFuture[]::new))
              .thenCompose(v -> ensureVm(vm, existing.join(), domainType.join(), credentials))
              .handle(
                  (done, error) -> {
                    if (error != null) {
                      Throwable cause = unwrap(error);
                      listener.failed(step, cause);
                      return new Result(
                          Optional.empty(), failed(vm.name(), Optional.of(vm.mac()), cause));
                    }
                    String change = done.change().toString().toLowerCase(java.util.Locale.ROOT);
                    listener.finished(
                        step, change + (done.detail().isEmpty() ? "" : ": " + done.detail()));
                    return new Result(
                        Optional.of(vm),
                        new NodeStatus(
                            vm.name(),
                            plan.name(),
                            vm.staticIp(),
                            Optional.of(vm.mac()),
                            done.change(),
                            false,
                            Optional.empty()));
                  });
      results.add(outcome);
    }

    // Owned domains on this host that the plan no longer has.
    Set<String> planned = new HashSet<>();
    plan.vms().forEach(vm -> planned.add(vm.name()));
    CompletableFuture<List<Result>> removed =
        domainNames
            .thenCombine(
                CompletableFuture.allOf(pools.values().toArray(CompletableFuture[]::new)),
                (names, v) -> names)
            .thenCompose(names -> removeOwned(names, planned))
            .exceptionally(
                error -> {
                  Throwable cause = unwrap(error);
                  return List.of(
                      new Result(
                          Optional.empty(),
                          failed(
                              "(owned nodes no longer in the specification)",
                              Optional.empty(),
                              cause)));
                });

    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenCombine(
            removed,
            (v, gone) -> {
              List<Result> all = new ArrayList<>();
              results.forEach(r -> all.add(r.join()));
              all.addAll(gone);
              return all;
            });
  }

  private String networkAction() {
    return plan.network().isPresent()
        ? "network " + plan.network().get().name()
        : "bridge " + plan.bridge().orElse("?");
  }

  private NodeStatus failed(String node, Optional<String> mac, Throwable cause) {
    return new NodeStatus(
        node,
        plan.name(),
        Optional.empty(),
        mac,
        ResourceChange.FAILED,
        false,
        Optional.of("host " + plan.name() + ", node " + node + ": " + message(cause)));
  }

  static String message(Throwable error) {
    return error.getMessage() == null ? error.toString() : error.getMessage();
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private CompletableFuture<String> ensureNetwork() {
    if (plan.network().isEmpty()) {
      String bridge = plan.bridge().orElseThrow();
      return async(() -> hv.hasInterface(bridge))
          .thenApply(
              known -> {
                if (known.isEmpty()) {
                  return "libvirt cannot list host interfaces here; assuming bridge "
                      + bridge
                      + " exists";
                }
                if (!known.get()) {
                  throw new HypervisorException(
                      "bridge "
                          + bridge
                          + " does not exist on host "
                          + plan.name()
                          + " ("
                          + hv.uri()
                          + "): create it, or use network mode nat or route");
                }
                return "exists";
              });
    }
    NetworkPlan network = plan.network().get();
    return async(() -> hv.network(network.name()))
        .thenCompose(
            existing -> {
              if (existing.isEmpty()) {
                return async(() -> hv.defineNetwork(NetworkXml.render(network, Optional.empty())))
                    .thenCompose(
                        v ->
                            async(() -> hv.startNetwork(network.name()))
                                .thenCombine(
                                    async(() -> hv.autostartNetwork(network.name())),
                                    (a, b) -> "created"));
              }
              Hypervisor.NetworkState state = existing.get();
              List<String> done = new ArrayList<>();
              String wanted = NetworkXml.render(network, Optional.of(state.uuid()));
              if (!NetworkXml.summary(wanted).equals(NetworkXml.summary(state.xml()))) {
                hv.defineNetwork(wanted);
                done.add(
                    "definition updated (DHCP reservations apply when the network next starts;"
                        + " nodes with an IP are configured statically anyway)");
              }
              if (!state.active()) {
                hv.startNetwork(network.name());
                done.add("started");
              }
              if (!state.autostart()) {
                hv.autostartNetwork(network.name());
                done.add("autostart set");
              }
              return CompletableFuture.completedFuture(
                  done.isEmpty() ? "unchanged" : String.join(", ", done));
            });
  }

  private CompletableFuture<String> ensurePool(PoolPlan pool) {
    return async(() -> hv.pool(pool.name()))
        .thenCompose(
            existing -> {
              if (existing.isEmpty()) {
                volumes.put(pool.name(), ConcurrentHashMap.newKeySet());
                return async(() -> hv.definePool(PoolXml.render(pool)))
                    .thenCompose(
                        v ->
                            async(() -> hv.buildPool(pool.name()))
                                .thenRunAsync(() -> hv.startPool(pool.name()), executor)
                                .thenCombine(
                                    async(() -> hv.autostartPool(pool.name())),
                                    (a, b) -> "created at " + pool.path()));
              }
              List<String> done = new ArrayList<>();
              if (!existing.get().active()) {
                hv.startPool(pool.name());
                done.add("started");
              }
              if (!existing.get().autostart()) {
                hv.autostartPool(pool.name());
                done.add("autostart set");
              }
              Set<String> names = ConcurrentHashMap.newKeySet();
              names.addAll(hv.volumeNames(pool.name()));
              volumes.put(pool.name(), names);
              return CompletableFuture.completedFuture(
                  done.isEmpty() ? "unchanged" : String.join(", ", done));
            });
  }

  private Set<String> volumesOf(String pool) {
    Set<String> names = volumes.get(pool);
    if (names == null) {
      throw new IllegalStateException("pool " + pool + " not read yet");
    }
    return names;
  }

  private String domainType() {
    if (settings.domainType().isPresent()) {
      return settings.domainType().get();
    }
    if (settings.simulated()) {
      return "qemu";
    }
    return hv.capabilities().contains("<domain type='kvm'") ? "kvm" : "qemu";
  }

  private CompletableFuture<String> ensureBaseImage() {
    VolumePlan base = plan.baseVolume();
    if (volumesOf(base.pool()).contains(base.name())) {
      if (!hv.canUpload()) {
        return CompletableFuture.completedFuture("unchanged");
      }
      return async(this::checkBaseImage)
          .thenCompose(
              ok -> ok ? CompletableFuture.completedFuture("unchanged") : ensureBaseImage());
    }
    if (!hv.canUpload()) {
      return async(
          () -> {
            long size = 0;
            if (!BaseImage.isUrl(plan.imageSource())
                && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(plan.imageSource()))) {
              size = BaseImage.probe(java.nio.file.Path.of(plan.imageSource())).virtualSize();
            }
            hv.createVolume(base.pool(), VolumeXml.render(base.withBytes(size)));
            volumesOf(base.pool()).add(base.name());
            return "skipped: simulated host, image not transferred (empty placeholder volume)";
          });
    }
    return async(
        () -> {
          BaseImage image = BaseImage.resolve(plan.imageSource(), settings.imageCache());
          VolumePlan volume =
              new VolumePlan(
                  base.pool(),
                  base.name(),
                  image.virtualSize(),
                  image.format(),
                  Optional.empty(),
                  Optional.empty());
          hv.createVolume(base.pool(), VolumeXml.render(volume));
          try {
            hv.upload(base.pool(), base.name(), image);
            Hypervisor.VolumeSizes sizes = hv.volumeSizes(base.pool(), base.name());
            if (sizes.capacity() != image.virtualSize()
                || (sizes.physical() >= 0 && sizes.physical() != image.length())) {
              throw new HypervisorException(
                  "uploaded image "
                      + plan.imageSource()
                      + " reads back as "
                      + sizes
                      + ", expected capacity "
                      + image.virtualSize()
                      + " and "
                      + image.length()
                      + " bytes");
            }
          } catch (RuntimeException e) {
            // a half-uploaded base image must not be reused by the next apply
            try {
              hv.deleteVolume(base.pool(), base.name());
            } catch (RuntimeException suppressed) {
              e.addSuppressed(suppressed);
            }
            throw e;
          }
          volumesOf(base.pool()).add(base.name());
          return "uploaded " + image.length() + " bytes (" + image.format() + ")";
        });
  }

  /**
   * Whether an existing base volume is complete: its size on disk equals the image's (an upload cut
   * off by a lost connection leaves a shorter file). An image only reachable by URL and not in the
   * cache is not downloaded for this: the volume is trusted. A bad volume is deleted.
   */
  private boolean checkBaseImage() {
    VolumePlan base = plan.baseVolume();
    Optional<BaseImage> image = BaseImage.ifLocal(plan.imageSource(), settings.imageCache());
    if (image.isEmpty()) {
      return true;
    }
    Hypervisor.VolumeSizes sizes = hv.volumeSizes(base.pool(), base.name());
    if (sizes.physical() < 0 || sizes.physical() == image.get().length()) {
      return true;
    }
    hv.deleteVolume(base.pool(), base.name());
    volumesOf(base.pool()).remove(base.name());
    return false;
  }

  private CompletableFuture<VmOutcome> ensureVm(
      VmPlan vm,
      Optional<Hypervisor.DomainState> existing,
      String domainType,
      ClusterCredentials credentials) {
    if (existing.isPresent()) {
      Optional<DomainXml.Ownership> owner = DomainXml.ownership(existing.get().xml());
      if (owner.isEmpty() || !owner.get().cluster().equals(plan.cluster())) {
        throw new HypervisorException(
            "a domain named "
                + vm.name()
                + " exists on host "
                + plan.name()
                + " and is "
                + (owner.isEmpty()
                    ? "not owned by any cluster"
                    : "owned by cluster " + owner.get().cluster())
                + "; it is left untouched");
      }
      return updateVm(vm, existing.get(), owner.get(), domainType, credentials);
    }
    return createVm(vm, domainType, credentials);
  }

  private CompletableFuture<VmOutcome> createVm(
      VmPlan vm, String domainType, ClusterCredentials credentials) {
    List<CompletableFuture<Void>> volumeTasks = new ArrayList<>();
    for (VolumePlan disk : vm.disks()) {
      if (!volumesOf(disk.pool()).contains(disk.name())) {
        volumeTasks.add(async(() -> createVolume(disk)));
      }
    }
    volumeTasks.add(async(() -> createCloudInit(vm, credentials, true)));
    return CompletableFuture.allOf(volumeTasks.toArray(CompletableFuture[]::new))
        .thenRunAsync(
            () -> hv.defineDomain(DomainXml.render(vm, domainType, Optional.empty())), executor)
        .thenCompose(
            v ->
                async(() -> hv.startDomain(vm.name()))
                    .thenCombine(async(() -> hv.autostartDomain(vm.name())), (a, b) -> "started"))
        .thenApply(v -> new VmOutcome(vm, ResourceChange.CREATED, ""));
  }

  private CompletableFuture<VmOutcome> updateVm(
      VmPlan vm,
      Hypervisor.DomainState state,
      DomainXml.Ownership owner,
      String domainType,
      ClusterCredentials credentials) {
    return async(
        () -> {
          List<String> done = new ArrayList<>();
          for (VolumePlan disk : vm.disks()) {
            if (!volumesOf(disk.pool()).contains(disk.name())) {
              createVolume(disk);
              done.add("volume " + disk.name() + " was missing and is created empty");
            }
          }
          if (!volumesOf(vm.cloudInit().pool()).contains(vm.cloudInit().name())) {
            createCloudInit(vm, credentials, false);
            done.add("cloud-init seed was missing and is rebuilt");
          }
          String hash = DomainXml.specHash(vm, domainType);
          if (!hash.equals(owner.spec())) {
            long capacity = hv.volumeSizes(vm.mainDisk().pool(), vm.mainDisk().name()).capacity();
            if (capacity < vm.mainDisk().bytes()) {
              hv.resizeVolume(vm.mainDisk().pool(), vm.mainDisk().name(), vm.mainDisk().bytes());
              done.add("main disk grown to " + vm.mainDisk().bytes() / Layout.GIB + " GiB");
            }
            hv.defineDomain(DomainXml.render(vm, domainType, DomainXml.uuid(state.xml())));
            done.add(
                "definition updated"
                    + (state.active()
                        ? " (CPU, memory and disks apply at the VM's next restart)"
                        : ""));
          }
          if (!state.active()) {
            hv.startDomain(vm.name());
            done.add("started");
          }
          if (!state.autostart()) {
            hv.autostartDomain(vm.name());
            done.add("autostart set");
          }
          return done.isEmpty()
              ? new VmOutcome(vm, ResourceChange.UNCHANGED, "")
              : new VmOutcome(vm, ResourceChange.UPDATED, String.join(", ", done));
        });
  }

  private void createVolume(VolumePlan volume) {
    hv.createVolume(volume.pool(), VolumeXml.render(volume));
    volumesOf(volume.pool()).add(volume.name());
  }

  /** Builds the seed ISO and stores it; a stale seed volume is replaced when {@code fresh}. */
  private void createCloudInit(VmPlan vm, ClusterCredentials credentials, boolean fresh) {
    SshKeyPair hostKey =
        credentials
            .hostKey(vm.name())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the cluster credentials carry no host key for node " + vm.name()));
    CloudInit files = CloudInit.of(vm, credentials.publicKey(), hostKey);
    Map<String, byte[]> content = new LinkedHashMap<>();
    content.put("meta-data", files.metaData().getBytes(StandardCharsets.UTF_8));
    content.put("network-config", files.networkConfig().getBytes(StandardCharsets.UTF_8));
    content.put("user-data", files.userData().getBytes(StandardCharsets.UTF_8));
    byte[] iso = NoCloudIso.build(content);
    VolumePlan volume = vm.cloudInit().withBytes(iso.length);
    if (fresh && volumesOf(volume.pool()).contains(volume.name())) {
      hv.deleteVolume(volume.pool(), volume.name());
    }
    hv.createVolume(volume.pool(), VolumeXml.render(volume));
    volumesOf(volume.pool()).add(volume.name());
    if (hv.canUpload()) {
      hv.upload(
          volume.pool(),
          volume.name(),
          new Hypervisor.Source() {
            @Override
            public long length() {
              return iso.length;
            }

            @Override
            public java.io.InputStream open() {
              return new java.io.ByteArrayInputStream(iso);
            }
          });
    }
  }

  // ---------------------------------------------------------------- removal

  private static final Pattern VM_NAME = Pattern.compile(".*-(lb|master|worker)-[^-].*");

  /** The domain of that name when this cluster owns it (ownership metadata); empty otherwise. */
  private CompletableFuture<Optional<Hypervisor.DomainState>> ownedDomain(String name) {
    return async(() -> hv.domain(name))
        .thenApply(
            state ->
                state.filter(
                    s ->
                        DomainXml.ownership(s.xml())
                            .map(owner -> owner.cluster().equals(plan.cluster()))
                            .orElse(false)));
  }

  /** Removes owned domains (and their volumes) whose names the plan does not have. */
  private CompletableFuture<List<Result>> removeOwned(List<String> names, Set<String> keep) {
    List<CompletableFuture<Optional<Result>>> removals = new ArrayList<>();
    for (String name : names) {
      if (keep.contains(name) || !name.startsWith(plan.cluster() + "-")) {
        continue;
      }
      removals.add(
          ownedDomain(name)
              .thenCompose(
                  state -> {
                    if (state.isEmpty()) {
                      return CompletableFuture.completedFuture(Optional.<Result>empty());
                    }
                    Step step = Step.onNode(Phase.PROVISION, "remove vm", plan.name(), name);
                    listener.started(step);
                    return removeDomain(name, state.get().active(), keep)
                        .handle(
                            (v, error) -> {
                              if (error != null) {
                                listener.failed(step, unwrap(error));
                                return Optional.of(
                                    new Result(
                                        Optional.empty(),
                                        failed(
                                            name,
                                            DomainXml.mac(state.get().xml()),
                                            unwrap(error))));
                              }
                              listener.finished(step, "removed");
                              return Optional.of(
                                  new Result(
                                      Optional.empty(),
                                      new NodeStatus(
                                          name,
                                          plan.name(),
                                          Optional.empty(),
                                          DomainXml.mac(state.get().xml()),
                                          ResourceChange.REMOVED,
                                          false,
                                          Optional.empty())));
                            });
                  }));
    }
    return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<Result> gone = new ArrayList<>();
              removals.forEach(r -> r.join().ifPresent(gone::add));
              return gone;
            });
  }

  private CompletableFuture<Void> removeDomain(String name, boolean active, Set<String> keep) {
    CompletableFuture<Void> stopped =
        active ? async(() -> hv.stopDomain(name)) : CompletableFuture.completedFuture(null);
    return stopped
        .thenRunAsync(() -> hv.undefineDomain(name), executor)
        .thenCompose(v -> deleteVolumesOf(name, keep));
  }

  /** Deletes the volumes named for {@code vm} in the cluster's pools (not those of kept VMs). */
  private CompletableFuture<Void> deleteVolumesOf(String vm, Collection<String> keep) {
    List<CompletableFuture<Void>> deletions = new ArrayList<>();
    for (Map.Entry<String, Set<String>> pool : volumes.entrySet()) {
      for (String volume : List.copyOf(pool.getValue())) {
        if (belongsTo(volume, vm, keep)) {
          deletions.add(
              async(
                  () -> {
                    hv.deleteVolume(pool.getKey(), volume);
                    pool.getValue().remove(volume);
                  }));
        }
      }
    }
    return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new));
  }

  /** Whether a volume is one of {@code vm}'s, and not of a longer-named node that is kept. */
  static boolean belongsTo(String volume, String vm, Collection<String> others) {
    boolean named =
        volume.equals(Layout.mainDiskName(vm))
            || volume.equals(Layout.cloudInitName(vm))
            || (volume.startsWith(vm + "-") && volume.endsWith("-data-disk"));
    if (!named) {
      return false;
    }
    for (String other : others) {
      if (other.length() > vm.length()
          && other.startsWith(vm + "-")
          && volume.startsWith(other + "-")) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- destroy

  /** Removes every domain, volume, pool and the network the cluster owns on the host. */
  CompletableFuture<List<NodeStatus>> destroy() {
    CompletableFuture<List<NodeStatus>> domains =
        async(hv::domainNames).thenCompose(this::removeDomainsOnly);
    return domains.thenCompose(
        removed -> {
          List<CompletableFuture<Void>> pools = new ArrayList<>();
          for (PoolPlan pool : plan.pools()) {
            pools.add(
                trackedAsync(
                    Step.onHost(Phase.DESTROY, "pool " + pool.name(), plan.name()),
                    () -> destroyPool(pool)));
          }
          CompletableFuture<Void> network =
              plan.network().isPresent()
                  ? tracked(
                      Step.onHost(
                          Phase.DESTROY, "network " + plan.network().get().name(), plan.name()),
                      () -> destroyNetwork(plan.network().get().name()))
                  : CompletableFuture.completedFuture(null);
          List<CompletableFuture<?>> all = new ArrayList<>(pools);
          all.add(network);
          return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
              .thenApply(
                  v -> {
                    return removed;
                  });
        });
  }

  private CompletableFuture<List<NodeStatus>> removeDomainsOnly(List<String> names) {
    List<CompletableFuture<Optional<NodeStatus>>> removals = new ArrayList<>();
    for (String name : names) {
      if (!name.startsWith(plan.cluster() + "-") || !VM_NAME.matcher(name).matches()) {
        continue;
      }
      removals.add(
          ownedDomain(name)
              .thenCompose(
                  state -> {
                    if (state.isEmpty()) {
                      return CompletableFuture.completedFuture(Optional.<NodeStatus>empty());
                    }
                    Step step = Step.onNode(Phase.DESTROY, "vm", plan.name(), name);
                    listener.started(step);
                    CompletableFuture<Void> stopped =
                        state.get().active()
                            ? async(() -> hv.stopDomain(name))
                            : CompletableFuture.completedFuture(null);
                    return stopped
                        .thenRunAsync(() -> hv.undefineDomain(name), executor)
                        .handle(
                            (v, error) -> {
                              if (error != null) {
                                listener.failed(step, unwrap(error));
                                throw new CompletionException(unwrap(error));
                              }
                              listener.finished(step, "removed");
                              return Optional.of(
                                  new NodeStatus(
                                      name,
                                      plan.name(),
                                      Optional.empty(),
                                      DomainXml.mac(state.get().xml()),
                                      ResourceChange.REMOVED,
                                      false,
                                      Optional.empty()));
                            });
                  }));
    }
    return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<NodeStatus> gone = new ArrayList<>();
              removals.forEach(r -> r.join().ifPresent(gone::add));
              return gone;
            });
  }

  private CompletableFuture<String> destroyPool(PoolPlan pool) {
    return async(() -> hv.pool(pool.name()))
        .thenCompose(
            state -> {
              if (state.isEmpty()) {
                return CompletableFuture.completedFuture("absent");
              }
              if (!state.get().active()) {
                hv.startPool(pool.name());
              }
              List<CompletableFuture<Void>> deletions = new ArrayList<>();
              for (String volume : hv.volumeNames(pool.name())) {
                deletions.add(async(() -> hv.deleteVolume(pool.name(), volume)));
              }
              return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
                  .thenApplyAsync(
                      v -> {
                        hv.stopPool(pool.name());
                        hv.deletePool(pool.name());
                        hv.undefinePool(pool.name());
                        return "removed with " + deletions.size() + " volume(s)";
                      },
                      executor);
            });
  }

  private CompletableFuture<String> destroyNetwork(String name) {
    return async(() -> hv.network(name))
        .thenApplyAsync(
            state -> {
              if (state.isEmpty()) {
                return "absent";
              }
              if (state.get().active()) {
                hv.stopNetwork(name);
              }
              hv.undefineNetwork(name);
              return "removed";
            },
            executor);
  }

  // ---------------------------------------------------------------- plumbing

  private <T> CompletableFuture<T> async(Supplier<T> task) {
    return CompletableFuture.supplyAsync(task, executor);
  }

  private CompletableFuture<Void> async(Runnable task) {
    return CompletableFuture.runAsync(task, executor);
  }

  /** Runs {@code work} (which returns its outcome) as a reported step. */
  private CompletableFuture<Void> tracked(Step step, Supplier<CompletableFuture<String>> work) {
    listener.started(step);
    CompletableFuture<String> future;
    try {
      future = work.get();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    return future.handle(
        (outcome, error) -> {
          if (error != null) {
            Throwable cause = unwrap(error);
            listener.failed(step, cause);
            throw new CompletionException(cause);
          }
          listener.finished(step, outcome);
          return null;
        });
  }

  private CompletableFuture<Void> trackedAsync(
      Step step, Supplier<CompletableFuture<String>> work) {
    return tracked(step, work);
  }
}
