package io.kubitect.libvirt.internal;

import io.kubitect.core.NodeStatus;
import io.kubitect.core.Phase;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.StepListener;
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
 *
 * <p>A run can stop between any two libvirt calls (a cancel, a lost connection), so whatever one
 * leaves is a state the next run converges from: a network or pool defined but not built, started
 * or set to autostart is finished; a domain is defined only once its volumes are complete, so a
 * missing domain means its seed is rebuilt; an uploaded volume is complete only when its {@code
 * .partial} marker is gone; a removed VM's domain goes last, after its volumes.
 */
final class HostReconciler {
  private final HostPlan plan;
  private final Hypervisor hv;
  private final Executor executor;
  private final StepListener listener;
  private final Settings settings;
  private final Cancellation cancellation;
  private final Map<String, Set<String>> volumes = new ConcurrentHashMap<>();

  HostReconciler(
      HostPlan plan,
      Hypervisor hv,
      Executor executor,
      StepListener listener,
      Settings settings,
      Cancellation cancellation) {
    this.plan = plan;
    this.hv = hv;
    this.executor = executor;
    this.listener = listener;
    this.settings = settings;
    this.cancellation = cancellation;
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
    // removed data pools' volumes are read too: a kept VM's disk there is one it no longer has
    List<CompletableFuture<Void>> retired = new ArrayList<>();
    for (PoolPlan pool : plan.retiredPools()) {
      retired.add(async(() -> readRetired(pool)));
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
      needs.addAll(retired);
      Step step = Step.onNode(Phase.PROVISION, "vm", plan.name(), vm.name());
      listener.started(step);
      CompletableFuture<Result> outcome =
          CompletableFuture.allOf(needs.toArray(CompletableFuture[]::new))
              .thenCompose(
                  v ->
                      ensureVm(
                          vm, existing.join(), domainType.join(), credentials, domainNames.join()))
              .handle(
                  (done, error) -> {
                    if (error != null) {
                      Throwable cause = unwrap(error);
                      listener.failed(step, cause);
                      return new Result(
                          Optional.empty(), failed(vm.name(), Optional.of(vm.mac()), cause));
                    }
                    listener.finished(step, StepOutcome.of(done.change()), done.detail());
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
    List<CompletableFuture<?>> allPools = new ArrayList<>(pools.values());
    allPools.addAll(retired);
    CompletableFuture<List<Result>> removed =
        domainNames
            .thenCombine(
                CompletableFuture.allOf(allPools.toArray(CompletableFuture[]::new)),
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
            })
        // removed data pools go once no VM uses them: kept VMs were restarted without their
        // disks there, removed VMs are gone
        .thenCompose(all -> retirePools(all).thenApply(failures -> concat(all, failures)));
  }

  private static List<Result> concat(List<Result> first, List<Result> second) {
    List<Result> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  /** Lists a removed data pool's volumes, when it still exists and runs. */
  private void readRetired(PoolPlan pool) {
    Optional<Hypervisor.PoolState> state = hv.pool(pool.name());
    if (state.isPresent() && state.get().active()) {
      Set<String> names = ConcurrentHashMap.newKeySet();
      names.addAll(hv.volumeNames(pool.name()));
      volumes.put(pool.name(), names);
    }
  }

  /**
   * Removes the data pools the plan retires, unless a node of the host failed (a VM that was not
   * restarted may still hold a disk there: the next apply removes them); a failure becomes a failed
   * status.
   */
  private CompletableFuture<List<Result>> retirePools(List<Result> nodes) {
    List<CompletableFuture<Optional<Result>>> removals = new ArrayList<>();
    boolean nodeFailed = nodes.stream().anyMatch(r -> r.status().change() == ResourceChange.FAILED);
    for (PoolPlan pool : plan.retiredPools()) {
      Step step = Step.onHost(Phase.PROVISION, "remove pool " + pool.name(), plan.name());
      if (nodeFailed) {
        listener.started(step);
        listener.finished(
            step,
            StepOutcome.SKIPPED,
            "skipped: a node of this host failed and may still use it; the next apply removes it");
        continue;
      }
      removals.add(
          tracked(step, () -> removePool(pool, false))
              .handle(
                  (v, error) ->
                      error == null
                          ? Optional.<Result>empty()
                          : Optional.of(
                              new Result(
                                  Optional.empty(),
                                  failed(
                                      "(data pool "
                                          + pool.name()
                                          + ", removed from the specification)",
                                      Optional.empty(),
                                      unwrap(error))))));
    }
    return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<Result> failures = new ArrayList<>();
              removals.forEach(r -> r.join().ifPresent(failures::add));
              return failures;
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
                // defined by a run that stopped before building it: the directory may be missing
                // (building a dir pool keeps an existing directory)
                hv.buildPool(pool.name());
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
    Set<String> names = volumesOf(base.pool());
    if (names.contains(base.name()) && !names.contains(partial(base.name()))) {
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
            names.add(base.name());
            return "skipped: simulated host, image not transferred (empty placeholder volume)";
          });
    }
    boolean again = names.contains(partial(base.name()));
    return async(
        () -> {
          BaseImage image =
              cancellation.interruptibly(
                  () -> BaseImage.resolve(plan.imageSource(), settings.imageCache()));
          VolumePlan volume =
              new VolumePlan(
                  base.pool(),
                  base.name(),
                  image.virtualSize(),
                  image.format(),
                  Optional.empty(),
                  Optional.empty());
          createFilled(
              volume,
              image,
              () -> {
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
              });
          return (again ? "an earlier upload was cut off; " : "")
              + "uploaded "
              + image.length()
              + " bytes ("
              + image.format()
              + ")";
        });
  }

  /** The marker that says volume {@code name} is being written and not complete yet. */
  static String partial(String name) {
    return name + ".partial";
  }

  /**
   * Creates {@code volume} and uploads {@code source} into it so that a cut-off attempt is never
   * taken for a complete volume: the marker volume {@link #partial} exists from before the volume
   * is created until it is filled and {@code verify} passed, and a run that finds the marker writes
   * the volume again. (libvirt cannot rename a volume, so a temporary name would not do.) An
   * existing volume of that name is replaced.
   */
  private void createFilled(VolumePlan volume, Hypervisor.Source source, Runnable verify) {
    Set<String> names = volumesOf(volume.pool());
    String marker = partial(volume.name());
    if (!names.contains(marker)) {
      hv.createVolume(
          volume.pool(), VolumeXml.render(VolumePlan.plain(volume.pool(), marker, 0, "raw")));
      names.add(marker);
    }
    if (names.contains(volume.name())) {
      hv.deleteVolume(volume.pool(), volume.name());
      names.remove(volume.name());
    }
    hv.createVolume(volume.pool(), VolumeXml.render(volume));
    names.add(volume.name());
    hv.upload(volume.pool(), volume.name(), source);
    verify.run();
    hv.deleteVolume(volume.pool(), marker);
    names.remove(marker);
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
      ClusterCredentials credentials,
      List<String> domainNames) {
    Set<String> others = new HashSet<>(domainNames);
    plan.vms().forEach(other -> others.add(other.name()));
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
      return updateVm(vm, existing.get(), owner.get(), domainType, credentials, others);
    }
    return createVm(vm, domainType, credentials, others);
  }

  private CompletableFuture<VmOutcome> createVm(
      VmPlan vm, String domainType, ClusterCredentials credentials, Set<String> others) {
    List<CompletableFuture<Void>> volumeTasks = new ArrayList<>();
    // disks removed from the spec while the domain was missing: nothing uses them
    for (Map.Entry<String, String> stale : staleDataDisks(vm, others)) {
      volumeTasks.add(
          async(
              () -> {
                hv.deleteVolume(stale.getKey(), stale.getValue());
                volumesOf(stale.getKey()).remove(stale.getValue());
              }));
    }
    for (VolumePlan disk : vm.disks()) {
      if (!volumesOf(disk.pool()).contains(disk.name())) {
        volumeTasks.add(async(() -> createVolume(disk)));
      }
    }
    // the seed of a VM without a domain may be a cut-off one: always written anew
    volumeTasks.add(async(() -> createCloudInit(vm, credentials)));
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
      ClusterCredentials credentials,
      Set<String> others) {
    return async(
        () -> {
          List<String> done = new ArrayList<>();
          List<Map.Entry<String, String>> stale = staleDataDisks(vm, others);
          for (VolumePlan disk : vm.disks()) {
            if (!volumesOf(disk.pool()).contains(disk.name())) {
              createVolume(disk);
              done.add("volume " + disk.name() + " was missing and is created empty");
            }
          }
          Set<String> seeds = volumesOf(vm.cloudInit().pool());
          if (!seeds.contains(vm.cloudInit().name())
              || seeds.contains(partial(vm.cloudInit().name()))) {
            createCloudInit(vm, credentials);
            done.add("cloud-init seed was missing or incomplete and is rebuilt");
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
                    + (state.active() && stale.isEmpty()
                        ? " (CPU, memory and disks apply at the VM's next restart)"
                        : ""));
          }
          boolean active = state.active();
          if (!stale.isEmpty()) {
            // The running QEMU holds the removed disks open: the VM is restarted on its new
            // definition (as Kubitect's Terraform recreates a domain whose disks change), and the
            // volumes are deleted while it is stopped. Found by name on every run, so a run cut
            // off anywhere here is finished by the next one.
            if (active) {
              hv.stopDomain(vm.name());
              done.add("stopped to detach removed data disks");
              active = false;
            }
            for (Map.Entry<String, String> volume : stale) {
              hv.deleteVolume(volume.getKey(), volume.getValue());
              volumesOf(volume.getKey()).remove(volume.getValue());
              done.add("removed data disk " + volume.getValue() + " deleted");
            }
          }
          if (!active) {
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

  /**
   * The data disk volumes named for {@code vm} (pool, volume) in the pools read that the plan no
   * longer gives it: removed from its spec, or moved to another pool. {@code others} are the names
   * of the host's other domains and planned VMs, whose volumes a shorter name must not take.
   */
  private List<Map.Entry<String, String>> staleDataDisks(VmPlan vm, Set<String> others) {
    Set<String> planned = new HashSet<>();
    vm.dataDisks().forEach(d -> planned.add(d.pool() + "/" + d.name()));
    List<Map.Entry<String, String>> stale = new ArrayList<>();
    for (Map.Entry<String, Set<String>> pool : volumes.entrySet()) {
      for (String volume : pool.getValue()) {
        if (volume.endsWith("-data-disk")
            && belongsTo(volume, vm.name(), others)
            && !planned.contains(pool.getKey() + "/" + volume)) {
          stale.add(Map.entry(pool.getKey(), volume));
        }
      }
    }
    stale.sort(Map.Entry.comparingByValue());
    return stale;
  }

  private void createVolume(VolumePlan volume) {
    hv.createVolume(volume.pool(), VolumeXml.render(volume));
    volumesOf(volume.pool()).add(volume.name());
  }

  /** Builds the seed ISO and stores it, replacing a seed volume of that name. */
  private void createCloudInit(VmPlan vm, ClusterCredentials credentials) {
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
    if (!hv.canUpload()) {
      // nothing to fill: creating it is one call
      if (volumesOf(volume.pool()).contains(volume.name())) {
        hv.deleteVolume(volume.pool(), volume.name());
        volumesOf(volume.pool()).remove(volume.name());
      }
      createVolume(volume);
      hv.keepSeedFiles(volume.pool(), volume.name(), content);
      return;
    }
    createFilled(
        volume,
        new Hypervisor.Source() {
          @Override
          public long length() {
            return iso.length;
          }

          @Override
          public java.io.InputStream open() {
            return new java.io.ByteArrayInputStream(iso);
          }
        },
        () -> {});
  }

  // ---------------------------------------------------------------- removal

  private static final Pattern VM_NAME = Pattern.compile(".*-(lb|master|worker)-[^-].*");

  /** What follows {@code <cluster>-} in the name of a VM's volume. */
  private static final Pattern VOLUME_OF_VM = Pattern.compile("(lb|master|worker)-[^-].*");

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
                              listener.finished(step, StepOutcome.REMOVED, "");
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

  /**
   * Stops the domain, deletes its volumes, then undefines it: the owned domain is what marks the
   * volumes as the cluster's to remove, so it goes last and a run stopped midway finds it again.
   */
  private CompletableFuture<Void> removeDomain(String name, boolean active, Set<String> keep) {
    CompletableFuture<Void> stopped =
        active ? async(() -> hv.stopDomain(name)) : CompletableFuture.completedFuture(null);
    return stopped
        .thenCompose(v -> deleteVolumesOf(name, keep))
        .thenRunAsync(() -> hv.undefineDomain(name), executor);
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
  static boolean belongsTo(String volumeName, String vm, Collection<String> others) {
    String volume =
        volumeName.endsWith(partial(""))
            ? volumeName.substring(0, volumeName.length() - partial("").length())
            : volumeName;
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

  /**
   * Removes every domain the cluster owns on the host, the cluster's volumes in its pools, the
   * pools and the network: a destroy, or (phase {@code PROVISION}) a host removed from the
   * specification.
   */
  CompletableFuture<List<NodeStatus>> destroy(Phase phase) {
    CompletableFuture<List<NodeStatus>> domains =
        async(hv::domainNames).thenCompose(names -> removeDomainsOnly(names, phase));
    return domains.thenCompose(
        removed -> {
          List<CompletableFuture<Void>> pools = new ArrayList<>();
          for (PoolPlan pool : plan.pools()) {
            boolean main = pool.equals(plan.mainPool());
            pools.add(
                trackedAsync(
                    Step.onHost(phase, "pool " + pool.name(), plan.name()),
                    () -> removePool(pool, main)));
          }
          CompletableFuture<Void> network =
              plan.network().isPresent()
                  ? tracked(
                      Step.onHost(phase, "network " + plan.network().get().name(), plan.name()),
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

  private CompletableFuture<List<NodeStatus>> removeDomainsOnly(List<String> names, Phase phase) {
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
                    Step step =
                        Step.onNode(
                            phase, phase == Phase.DESTROY ? "vm" : "remove vm", plan.name(), name);
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
                              listener.finished(step, StepOutcome.REMOVED, "");
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

  /**
   * Deletes the cluster's volumes in one of its pools, then stops and undefines the pool. Its
   * directory is deleted only when no other volume is left in it: files that are not the cluster's
   * (see {@link #clusterVolume}) are never touched, and keep the directory.
   *
   * @param main whether this is the host's main pool (the only one with a base image)
   */
  private CompletableFuture<String> removePool(PoolPlan pool, boolean main) {
    return async(() -> hv.pool(pool.name()))
        .thenCompose(
            state -> {
              if (state.isEmpty()) {
                return CompletableFuture.completedFuture("absent");
              }
              if (!state.get().active()) {
                // stopped by a removal that was cut off: its directory may already be gone
                hv.buildPool(pool.name());
                hv.startPool(pool.name());
              }
              List<String> others = new ArrayList<>();
              List<CompletableFuture<Void>> deletions = new ArrayList<>();
              for (String volume : hv.volumeNames(pool.name())) {
                if (clusterVolume(volume, plan.cluster(), main)) {
                  deletions.add(async(() -> hv.deleteVolume(pool.name(), volume)));
                } else {
                  others.add(volume);
                }
              }
              return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
                  .thenApplyAsync(
                      v -> {
                        hv.stopPool(pool.name());
                        String directory = "";
                        if (others.isEmpty()) {
                          hv.deletePool(pool.name());
                        } else {
                          others.sort(null);
                          directory =
                              "; directory "
                                  + pool.path()
                                  + " kept: it holds "
                                  + others.size()
                                  + " file(s) that are not the cluster's ("
                                  + String.join(", ", others.subList(0, Math.min(5, others.size())))
                                  + (others.size() > 5 ? ", ..." : "")
                                  + ")";
                        }
                        hv.undefinePool(pool.name());
                        return "removed with " + deletions.size() + " volume(s)" + directory;
                      },
                      executor);
            });
  }

  /**
   * Whether a volume in one of the cluster's pools is the cluster's: a VM's main disk, data disk or
   * seed ({@code <cluster>-<lb|master|worker>-...}), the main pool's base image, or the marker of
   * one of those being written.
   */
  static boolean clusterVolume(String volumeName, String cluster, boolean mainPool) {
    String volume =
        volumeName.endsWith(partial(""))
            ? volumeName.substring(0, volumeName.length() - partial("").length())
            : volumeName;
    if (volume.equals(Layout.BASE_VOLUME)) {
      return mainPool;
    }
    return volume.startsWith(cluster + "-")
        && VOLUME_OF_VM.matcher(volume.substring(cluster.length() + 1)).matches()
        && (volume.endsWith("-main-disk")
            || volume.endsWith("-data-disk")
            || volume.endsWith("-cloud-init.iso"));
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

  /**
   * The outcome of a host-level step, from the text this class's steps return: {@code created ...},
   * {@code unchanged} or {@code exists}, {@code skipped: ...} or {@code absent}, {@code removed
   * ...}, a list of the changes made, or a note about what could not be checked.
   */
  static StepOutcome outcomeOf(String text) {
    if (text.startsWith("created")) {
      return StepOutcome.CREATED;
    }
    if (text.equals("unchanged") || text.equals("exists")) {
      return StepOutcome.UNCHANGED;
    }
    if (text.startsWith("skipped") || text.equals("absent")) {
      return StepOutcome.SKIPPED;
    }
    if (text.startsWith("removed")) {
      return StepOutcome.REMOVED;
    }
    if (text.startsWith("libvirt cannot")) {
      return StepOutcome.DONE;
    }
    return StepOutcome.CHANGED;
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
          listener.finished(step, outcomeOf(outcome), outcome);
          return null;
        });
  }

  private CompletableFuture<Void> trackedAsync(
      Step step, Supplier<CompletableFuture<String>> work) {
    return tracked(step, work);
  }
}
