package io.kubitect.libvirt;

import io.kubitect.core.ApplyAction;
import io.kubitect.core.Kubitect;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.Plan;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.SpecValidator;
import io.kubitect.core.ValidationReport;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.NodeInstance;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Benchmark behind {@code bench/many-hosts}: fleets of simulated hosts (libvirt's test driver) with
 * a latency injected into every connect (the SSH handshake of {@code qemu+ssh}) and a delay into
 * every libvirt call, 10 VMs per host, at 1, 10, 50 and 100 hosts. Per size: the wall time of an
 * apply, an unchanged re-apply and a destroy, each next to the busiest host's time alone; peak
 * threads; heap after the apply (after GC); libvirt calls per VM. Then the same fleets above a
 * small bound of hosts in parallel (the steps), and the validator and the facade's plan (and state
 * code) at every size. Prints the figures and whether each target holds; the last line is one
 * summary.
 *
 * <p>Arguments (all optional, in order): connect latency ms (1000), call delay ms (20), sizes in
 * hosts (1,10,50,100), VMs per host (10), the small bound for the steps (16; 0 leaves them out).
 */
public final class ManyHostsBench {
  private static final double SLACK = 1.3;
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ManyHostsBench() {}

  /**
   * Wall time, libvirt calls, mutating calls, the provisioner's threads at the peak (its pools'
   * threads, named {@code kubitect-...}, sampled), all JVM threads at the peak, the kernel's count
   * (with native threads, sampled) and the process's CPU time of one run over the fleet.
   */
  private record Run(
      long nanos,
      long calls,
      long mutations,
      int provisionerThreads,
      int jvmThreads,
      int osThreads,
      long cpuNanos) {
    long ms() {
      return nanos / 1_000_000;
    }
  }

  /**
   * The busiest host alone (connected beforehand, so without a connect): apply, re-apply, destroy.
   */
  private record Alone(long apply, long reapply, long destroy) {}

  /** One fleet size. */
  private record Row(
      int hosts,
      int vms,
      int bound,
      Alone alone,
      Run apply,
      Run reapply,
      Run destroy,
      long heapBefore,
      long heapAfterApply) {
    /** What the apply left on the heap (after GC), over what was there before. */
    long heapGrowth() {
      return heapAfterApply - heapBefore;
    }

    int steps() {
      return (hosts + bound - 1) / bound;
    }
  }

  /** Validator and facade at one size. */
  private record Facade(
      int nodes, long validate, long plan, long stateApply, long replan, long scalePlan) {}

  public static void main(String[] args) throws Exception {
    long connectMs = args.length > 0 ? Long.parseLong(args[0]) : 1000;
    long callMs = args.length > 1 ? Long.parseLong(args[1]) : 20;
    List<Integer> sizes =
        Stream.of((args.length > 2 ? args[2] : "1,10,50,100").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    int vmsPerHost = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int stepBound = args.length > 4 ? Integer.parseInt(args[4]) : 16;
    int bound = LibvirtProvisioner.DEFAULT_HOSTS_IN_PARALLEL;
    int calls = LibvirtProvisioner.DEFAULT_CALLS_IN_FLIGHT_PER_HOST;
    Duration connect = Duration.ofMillis(connectMs);
    Duration delay = Duration.ofMillis(callMs);
    String loadBefore = loadAverage();
    int largest = sizes.stream().max(Integer::compare).orElseThrow();
    System.out.printf(
        Locale.ROOT,
        "many-hosts: %d VMs per host, connect %d ms, %d ms per libvirt call, %d hosts in parallel"
            + " (default), %d calls in flight per host; %d cores, load average %s%n",
        vmsPerHost,
        connectMs,
        callMs,
        bound,
        calls,
        Runtime.getRuntime().availableProcessors(),
        loadBefore);

    Path tmp = Files.createTempDirectory("kubitect-many-hosts");
    ClusterCredentials credentials = credentials(Topology.of(spec(largest, vmsPerHost)), tmp);

    warmUp(credentials, vmsPerHost);

    List<Row> rows = new ArrayList<>();
    for (int hosts : sizes) {
      Row row = measure(hosts, vmsPerHost, bound, connect, delay, credentials, Optional.empty());
      rows.add(row);
      printRow(row, connectMs);
    }
    List<Row> steps = new ArrayList<>();
    if (stepBound > 0) {
      for (Row main : rows) {
        if (main.hosts() > stepBound) {
          // the busiest host alone is the same host as above: its figures are reused
          Row row =
              measure(
                  main.hosts(),
                  vmsPerHost,
                  stepBound,
                  connect,
                  delay,
                  credentials,
                  Optional.of(main.alone()));
          steps.add(row);
          printRow(row, connectMs);
        }
      }
    }
    List<Facade> facades = new ArrayList<>();
    for (int hosts : sizes) {
      Facade f = facade(spec(hosts, vmsPerHost), tmp.resolve("state-" + hosts));
      facades.add(f);
      System.out.printf(
          Locale.ROOT,
          "%5d nodes: validate %d ms, plan (new cluster) %d ms, apply's state code %d ms,"
              + " re-plan (unchanged) %d ms, plan of one more worker %d ms%n",
          f.nodes(),
          f.validate() / 1_000_000,
          f.plan() / 1_000_000,
          f.stateApply() / 1_000_000,
          f.replan() / 1_000_000,
          f.scalePlan() / 1_000_000);
    }

    // ---- targets
    List<String> verdicts = new ArrayList<>();
    boolean wallOk = true;
    for (Row r : concat(rows, steps)) {
      double limit = SLACK * r.steps() * (r.alone().apply() + connect.toNanos());
      wallOk &= r.apply().nanos() <= limit;
    }
    verdicts.add(
        verdict(
            wallOk,
            "apply wall time <= 1.3 x rounds x (busiest host alone + one connect), rounds ="
                + " ceil(hosts / bound): 1 up to the bound"));
    boolean reapplyOk = true;
    for (Row r : concat(rows, steps)) {
      reapplyOk &= r.apply().mutations() > 0 && r.reapply().mutations() == 0;
    }
    verdicts.add(verdict(reapplyOk, "unchanged re-apply makes 0 mutating calls"));
    // threads: bounded by the bound, whatever the number of hosts
    boolean threadsOk = true;
    for (Row r : concat(rows, steps)) {
      int cap = Math.min(r.hosts(), r.bound()) * (1 + calls);
      threadsOk &=
          r.apply().provisionerThreads() <= cap
              && r.reapply().provisionerThreads() <= cap
              && r.destroy().provisionerThreads() <= cap;
    }
    Map<Integer, List<Row>> byBound =
        concat(rows, steps).stream()
            .filter(r -> r.hosts() >= r.bound())
            .collect(Collectors.groupingBy(Row::bound));
    for (List<Row> above : byBound.values()) {
      int min = above.stream().mapToInt(r -> r.apply().provisionerThreads()).min().orElse(0);
      int max = above.stream().mapToInt(r -> r.apply().provisionerThreads()).max().orElse(0);
      threadsOk &= max - min <= 1; // sampled every 10 ms
    }
    verdicts.add(
        verdict(
            threadsOk,
            "provisioner threads <= min(hosts, bound) x (1 + calls in flight), the same for every"
                + " size at or above the bound"));
    double[] fit = fit(rows);
    boolean heapOk = fit[2] >= 0.95 || rows.size() < 3;
    verdicts.add(
        verdict(
            heapOk,
            String.format(
                Locale.ROOT,
                "heap after the apply grows linearly: %.1f KiB per VM + %.1f MiB (r2 %.3f)",
                fit[0] / 1024,
                fit[1] / (1024 * 1024),
                fit[2])));
    Facade top = facades.get(facades.size() - 1);
    long worstPlan = Math.max(top.plan(), Math.max(top.replan(), top.scalePlan()));
    verdicts.add(
        verdict(
            worstPlan < 1_000_000_000L,
            "plan of " + top.nodes() + " nodes under 1 s (new, unchanged, one more worker)"));
    verdicts.forEach(System.out::println);

    String loadAfter = loadAverage();
    System.out.println("load average before " + loadBefore + ", after " + loadAfter);
    long ok = verdicts.stream().filter(v -> v.startsWith("ok")).count();
    StringBuilder summary = new StringBuilder("many-hosts:");
    summary
        .append(" connect_ms=")
        .append(connectMs)
        .append(" call_ms=")
        .append(callMs)
        .append(" bound=")
        .append(bound)
        .append(" hosts=")
        .append(join(rows, r -> String.valueOf(r.hosts())))
        .append(" vms=")
        .append(join(rows, r -> String.valueOf(r.vms())))
        .append(" wall_ms=")
        .append(join(rows, r -> String.valueOf(r.apply().ms())))
        .append(" busiest_ms=")
        .append(join(rows, r -> String.valueOf(r.alone().apply() / 1_000_000)))
        .append(" ratio=")
        .append(
            join(
                rows,
                r ->
                    fmt(
                        (double) r.apply().nanos()
                            / (r.steps() * (r.alone().apply() + connect.toNanos())))))
        .append(" threads=")
        .append(join(rows, r -> String.valueOf(r.apply().provisionerThreads())))
        .append(" jvm_threads=")
        .append(join(rows, r -> String.valueOf(r.apply().jvmThreads())))
        .append(" heap_mb=")
        .append(join(rows, r -> fmt(r.heapAfterApply() / (1024.0 * 1024))))
        .append(" heap_kb_per_vm=")
        .append(fmt(fit[0] / 1024))
        .append(" calls_per_vm=")
        .append(join(rows, r -> fmt((double) r.apply().calls() / r.vms())))
        .append(" cpu_ms_per_vm=")
        .append(join(rows, r -> fmt(r.apply().cpuNanos() / 1e6 / r.vms())))
        .append(" reapply_ms=")
        .append(join(rows, r -> String.valueOf(r.reapply().ms())))
        .append(" reapply_mutations=")
        .append(join(rows, r -> String.valueOf(r.reapply().mutations())))
        .append(" destroy_ms=")
        .append(join(rows, r -> String.valueOf(r.destroy().ms())));
    if (!steps.isEmpty()) {
      summary
          .append(" bound")
          .append(stepBound)
          .append("_wall_ms=")
          .append(join(steps, r -> r.hosts() + ":" + r.apply().ms()))
          .append(" bound")
          .append(stepBound)
          .append("_threads=")
          .append(join(steps, r -> String.valueOf(r.apply().provisionerThreads())));
    }
    summary
        .append(" validate_ms=")
        .append(top.validate() / 1_000_000)
        .append(" plan_ms=")
        .append(top.plan() / 1_000_000)
        .append(" replan_ms=")
        .append(top.replan() / 1_000_000)
        .append(" load=")
        .append(loadAfter.split(" ", -1)[0])
        .append(" targets=")
        .append(ok)
        .append('/')
        .append(verdicts.size());
    System.out.println(summary);
  }

  // ---------------------------------------------------------------- one fleet

  private static Row measure(
      int hosts,
      int vmsPerHost,
      int bound,
      Duration connect,
      Duration delay,
      ClusterCredentials credentials,
      Optional<Alone> measured) {
    ClusterSpec spec = spec(hosts, vmsPerHost);
    Topology topology = Topology.of(spec);
    Map<String, Long> perHost = new HashMap<>();
    topology.nodes().forEach(n -> perHost.merge(n.host(), 1L, Long::sum));
    String busiest =
        perHost.entrySet().stream()
            .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry::getKey))
            .orElseThrow()
            .getKey();
    Alone alone =
        measured.orElseGet(
            () -> alone(Topology.of(only(spec, busiest)), delay, bound, credentials));

    heapAfterGc();
    long heapBefore = heapAfterGc();
    Run apply;
    Run reapply;
    Run destroy;
    long heapAfter;
    try (LibvirtProvisioner provisioner =
        LibvirtProvisioner.builder()
            .simulated()
            .connectDelay(connect)
            .callDelay(delay)
            .hostsInParallel(bound)
            .build()) {
      apply = run(provisioner, () -> provisioner.apply(topology, credentials, StepListener.NONE));
      heapAfter = heapAfterGc();
      reapply = run(provisioner, () -> provisioner.apply(topology, credentials, StepListener.NONE));
      destroy =
          run(
              provisioner,
              () -> {
                provisioner.destroy(topology, StepListener.NONE);
                return null;
              });
    }
    return new Row(
        hosts,
        topology.nodes().size(),
        bound,
        alone,
        apply,
        reapply,
        destroy,
        heapBefore,
        heapAfter);
  }

  /**
   * The busiest host's share on its own, the median of three runs: connected first (a destroy of
   * nothing), so that apply, re-apply and destroy are the host's work without a connect; its
   * connect is added separately.
   */
  private static Alone alone(
      Topology topology, Duration delay, int bound, ClusterCredentials credentials) {
    long[] apply = new long[3];
    long[] reapply = new long[3];
    long[] destroy = new long[3];
    for (int i = 0; i < 3; i++) {
      try (LibvirtProvisioner provisioner =
          LibvirtProvisioner.builder()
              .simulated()
              .callDelay(delay)
              .hostsInParallel(bound)
              .build()) {
        provisioner.destroy(topology, StepListener.NONE); // connects; the host is empty
        long start = System.nanoTime();
        provisioner.apply(topology, credentials, StepListener.NONE);
        apply[i] = System.nanoTime() - start;
        start = System.nanoTime();
        provisioner.apply(topology, credentials, StepListener.NONE);
        reapply[i] = System.nanoTime() - start;
        start = System.nanoTime();
        provisioner.destroy(topology, StepListener.NONE);
        destroy[i] = System.nanoTime() - start;
      }
    }
    return new Alone(median(apply), median(reapply), median(destroy));
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static Run run(LibvirtProvisioner provisioner, Supplier<?> work) {
    long calls = provisioner.libvirtCalls();
    long mutations = provisioner.mutatingLibvirtCalls();
    awaitSettledThreads();
    AtomicInteger osPeak = new AtomicInteger(osThreads());
    AtomicInteger ownPeak = new AtomicInteger(provisionerThreads());
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler =
        new Thread(
            () -> {
              while (!done.get()) {
                osPeak.accumulateAndGet(osThreads(), Math::max);
                ownPeak.accumulateAndGet(provisionerThreads(), Math::max);
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-thread-sampler");
    sampler.setDaemon(true);
    THREADS.resetPeakThreadCount();
    sampler.start();
    long cpu = OS.getProcessCpuTime();
    long start = System.nanoTime();
    Object result = work.get();
    long nanos = System.nanoTime() - start;
    long cpuNanos = OS.getProcessCpuTime() - cpu;
    int jvmPeak = THREADS.getPeakThreadCount();
    done.set(true);
    try {
      sampler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (result instanceof InfrastructureStatus status) {
      List<NodeStatus> failed =
          status.nodes().stream().filter(n -> n.change() == ResourceChange.FAILED).toList();
      if (!failed.isEmpty()) {
        throw new IllegalStateException("failed nodes: " + failed);
      }
    }
    return new Run(
        nanos,
        provisioner.libvirtCalls() - calls,
        provisioner.mutatingLibvirtCalls() - mutations,
        ownPeak.get(),
        jvmPeak,
        osPeak.get(),
        cpuNanos);
  }

  /** Live threads of the provisioner's pools (host workers, host executors, readiness waits). */
  private static int provisionerThreads() {
    int count = 0;
    for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("kubitect-")) {
        count++;
      }
    }
    return count;
  }

  /** Waits until the previous run's pool threads have ended (the live count stops changing). */
  private static void awaitSettledThreads() {
    int count = THREADS.getThreadCount();
    for (int i = 0; i < 100; i++) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      int now = THREADS.getThreadCount();
      if (now == count) {
        break;
      }
      count = now;
    }
  }

  private static void printRow(Row r, long connectMs) {
    double unit = r.steps() * (r.alone().apply() / 1e6 + connectMs);
    System.out.printf(
        Locale.ROOT,
        "%4d hosts, %5d VMs, bound %d (%d round%s): apply %d ms = %.2f x %d x (busiest alone %d ms"
            + " + connect %d ms); %.1f calls per VM, %d mutating; CPU %.2f ms per VM; threads: %d"
            + " of the provisioner, %d in the JVM, %d in the process; heap after the apply (after"
            + " GC) %.1f MiB, %.2f MiB more than before (%.1f KiB per VM)%n",
        r.hosts(),
        r.vms(),
        r.bound(),
        r.steps(),
        r.steps() == 1 ? "" : "s",
        r.apply().ms(),
        r.apply().nanos() / 1e6 / unit,
        r.steps(),
        r.alone().apply() / 1_000_000,
        connectMs,
        (double) r.apply().calls() / r.vms(),
        r.apply().mutations(),
        r.apply().cpuNanos() / 1e6 / r.vms(),
        r.apply().provisionerThreads(),
        r.apply().jvmThreads(),
        r.apply().osThreads(),
        r.heapAfterApply() / (1024.0 * 1024),
        r.heapGrowth() / (1024.0 * 1024),
        r.heapGrowth() / 1024.0 / r.vms());
    for (String what : List.of("re-apply", "destroy")) {
      Run run = what.equals("destroy") ? r.destroy() : r.reapply();
      long alone = what.equals("destroy") ? r.alone().destroy() : r.alone().reapply();
      System.out.printf(
          Locale.ROOT,
          "%30s %s %d ms = %.2f x %d x busiest alone %d ms; %.1f calls per VM, %d mutating;"
              + " CPU %.2f ms per VM; threads: %d of the provisioner%n",
          "",
          what,
          run.ms(),
          (double) run.nanos() / (r.steps() * alone),
          r.steps(),
          alone / 1_000_000,
          (double) run.calls() / r.vms(),
          run.mutations(),
          run.cpuNanos() / 1e6 / r.vms(),
          run.provisionerThreads());
    }
  }

  // ---------------------------------------------------------------- validator and facade

  /**
   * Validates and plans through the facade, best of three each: a new cluster, then (after an apply
   * with a provisioner that only reports, so the facade's state code runs) the unchanged
   * specification and one more worker.
   */
  private static Facade facade(ClusterSpec spec, Path state) {
    int nodes = Topology.of(spec).nodes().size();
    long validate =
        best(
            () -> {
              ValidationReport report = SpecValidator.validate(spec);
              if (report.hasErrors()) {
                throw new IllegalStateException("invalid specification: " + report);
              }
            });
    try (Kubitect kubitect =
        Kubitect.builder()
            .stateDirectory(state)
            .home(state)
            .provisioner(new ReportingProvisioner())
            .withoutLoadBalancers()
            .withoutKubernetes()
            .build()) {
      long plan = best(() -> kubitect.plan(spec, ApplyAction.CREATE));
      Plan reviewed = kubitect.plan(spec, ApplyAction.CREATE);
      long start = System.nanoTime();
      kubitect.apply(reviewed);
      long stateApply = System.nanoTime() - start;
      long replan = best(() -> kubitect.plan(spec, ApplyAction.CREATE));
      ClusterSpec scaled = spec.withWorker(NodeInstance.of("100000", "h001"));
      long scalePlan =
          best(
              () -> {
                Plan p = kubitect.plan(scaled, ApplyAction.SCALE);
                if (p.nodes().stream().noneMatch(n -> n.name().endsWith("-worker-100000"))) {
                  throw new IllegalStateException("the new worker is not in the plan");
                }
              });
      return new Facade(nodes, validate, plan, stateApply, replan, scalePlan);
    }
  }

  /** Reports every node created at its address, touching nothing: the facade's state code runs. */
  private static final class ReportingProvisioner implements InfrastructureProvisioner {
    @Override
    public InfrastructureStatus apply(
        Topology topology, ClusterCredentials credentials, StepListener listener) {
      List<NodeStatus> nodes = new ArrayList<>();
      int i = 0;
      for (Node node : topology.nodes()) {
        i++;
        String ip = node.ip().orElse("10.21." + (i / 250) + "." + (i % 250 + 1));
        nodes.add(
            new NodeStatus(
                node.name(),
                node.host(),
                Optional.of(ip),
                Optional.empty(),
                ResourceChange.CREATED,
                true,
                Optional.empty()));
      }
      return new InfrastructureStatus(nodes, false, nodes.size());
    }

    @Override
    public void destroy(Topology topology, StepListener listener) {}

    @Override
    public void close() {}
  }

  private static long best(Runnable work) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      work.run();
      best = Math.min(best, System.nanoTime() - start);
    }
    return best;
  }

  // ---------------------------------------------------------------- the fleet's specification

  /**
   * {@code hosts} remote hosts {@code h001...}, {@code vmsPerHost} VMs on each: two load balancers
   * (on the first two hosts) and three masters (on the first three), with static addresses; the
   * rest are workers, odd ids with a static address, even ids from DHCP. Bridge mode, one LAN.
   */
  static ClusterSpec spec(int hosts, int vmsPerHost) {
    StringBuilder yaml = new StringBuilder("hosts:\n");
    for (int h = 1; h <= hosts; h++) {
      yaml.append(
          String.format(
              Locale.ROOT,
              "  - name: %s\n    connection: {type: remote, user: kubitect, ip: 172.16.%d.%d,"
                  + " ssh: {keyfile: \"~/.ssh/id_fleet\"}}\n",
              host(h),
              h / 250,
              h % 250 + 1));
    }
    int[] used = new int[hosts + 1];
    StringBuilder lbs = new StringBuilder();
    for (int i = 1; i <= 2; i++) {
      int h = (i - 1) % hosts + 1;
      used[h]++;
      lbs.append(
          String.format(
              Locale.ROOT,
              "        - {id: %d, ip: 10.20.255.%d, host: %s}\n",
              i,
              200 + i,
              host(h)));
    }
    StringBuilder masters = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      int h = (i - 1) % hosts + 1;
      used[h]++;
      masters.append(
          String.format(
              Locale.ROOT, "        - {id: %d, ip: 10.20.254.%d, host: %s}\n", i, i, host(h)));
    }
    StringBuilder workers = new StringBuilder();
    int id = 0;
    for (int h = 1; h <= hosts; h++) {
      for (int v = used[h]; v < vmsPerHost; v++) {
        id++;
        if (id % 2 == 1) {
          workers.append(
              String.format(
                  Locale.ROOT,
                  "        - {id: %d, ip: 10.20.%d.%d, host: %s}\n",
                  id,
                  id / 250,
                  id % 250 + 1,
                  host(h)));
        } else {
          workers.append(String.format(Locale.ROOT, "        - {id: %d, host: %s}\n", id, host(h)));
        }
      }
    }
    yaml.append(
            """
            cluster:
              name: fleet
              network: {mode: bridge, cidr: 10.20.0.0/16, bridge: br0}
              nodeTemplate:
                user: k8s
                os: {distro: ubuntu}
              nodes:
                loadBalancer:
                  vip: 10.20.255.200
                  instances:
            """)
        .append(lbs)
        .append("    master:\n      instances:\n")
        .append(masters);
    if (id > 0) {
      yaml.append("    worker:\n      instances:\n").append(workers);
    }
    yaml.append("kubernetes:\n  version: v1.23.7\n  kubespray:\n    version: v2.19.0\n");
    return KubitectYaml.read(yaml.toString(), "fleet of " + hosts + " hosts");
  }

  private static String host(int h) {
    return String.format(Locale.ROOT, "h%03d", h);
  }

  /** The specification reduced to one host and the nodes on it. */
  private static ClusterSpec only(ClusterSpec spec, String host) {
    ClusterSpec resolved = spec.resolveDefaults();
    var nodes = resolved.cluster().nodes();
    Function<List<NodeInstance>, List<NodeInstance>> keep =
        list -> list.stream().filter(i -> i.host().orElse("").equals(host)).toList();
    return resolved
        .withHosts(resolved.hosts().stream().filter(h -> h.name().orElse("").equals(host)).toList())
        .withCluster(
            resolved
                .cluster()
                .withNodes(
                    nodes
                        .withLoadBalancer(
                            nodes
                                .loadBalancer()
                                .withInstances(
                                    nodes.loadBalancer().instances().stream()
                                        .filter(i -> i.host().orElse("").equals(host))
                                        .toList()))
                        .withMaster(
                            nodes.master().withInstances(keep.apply(nodes.master().instances())))
                        .withWorker(
                            nodes.worker().withInstances(keep.apply(nodes.worker().instances())))));
  }

  // ---------------------------------------------------------------- helpers

  /** JIT, JNA and the test driver warmed up: 10 hosts applied, re-applied, destroyed 4 times. */
  private static void warmUp(ClusterCredentials credentials, int vmsPerHost) {
    Topology small = Topology.of(spec(10, vmsPerHost));
    for (int i = 0; i < 4; i++) {
      try (LibvirtProvisioner warm = LibvirtProvisioner.builder().simulated().build()) {
        warm.apply(small, credentials, StepListener.NONE);
        warm.apply(small, credentials, StepListener.NONE);
        warm.destroy(small, StepListener.NONE);
      }
    }
    for (int i = 0; i < 5; i++) {
      SpecValidator.validate(spec(10, vmsPerHost));
    }
  }

  private static ClusterCredentials credentials(Topology topology, Path dir) throws IOException {
    Map<String, SshKeyPair> keys = new HashMap<>();
    for (Node node : topology.nodes()) {
      keys.put(node.name(), SshKeyPair.generateEd25519(node.name()));
    }
    return new ClusterCredentials(
        dir.resolve("id_ed25519"),
        SshKeyPair.generateEd25519("bench").publicKey(),
        keys,
        dir.resolve("known_hosts"));
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  /** Threads of this process as the kernel counts them (JVM threads and native ones). */
  private static int osThreads() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines
          .filter(l -> l.startsWith("Threads:"))
          .map(l -> Integer.parseInt(l.substring(8).trim()))
          .findFirst()
          .orElse(0);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ", -1);
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /** Least squares of heap growth over VMs: {slope bytes per VM, intercept bytes, r2}. */
  private static double[] fit(List<Row> rows) {
    int n = rows.size();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (Row r : rows) {
      double x = r.vms();
      double y = r.heapGrowth();
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double denominator = n * sxx - sx * sx;
    if (n < 2 || denominator == 0) {
      return new double[] {rows.isEmpty() ? 0 : sy / Math.max(1, sx), 0, 1};
    }
    double slope = (n * sxy - sx * sy) / denominator;
    double intercept = (sy - slope * sx) / n;
    double mean = sy / n;
    double total = 0;
    double residual = 0;
    for (Row r : rows) {
      double y = r.heapGrowth();
      double predicted = intercept + slope * r.vms();
      total += (y - mean) * (y - mean);
      residual += (y - predicted) * (y - predicted);
    }
    return new double[] {slope, intercept, total == 0 ? 1 : 1 - residual / total};
  }

  private static String verdict(boolean ok, String what) {
    return (ok ? "ok      " : "MISSED  ") + what;
  }

  private static List<Row> concat(List<Row> a, List<Row> b) {
    List<Row> all = new ArrayList<>(a);
    all.addAll(b);
    all.sort(Comparator.comparingInt(Row::bound).thenComparingInt(Row::hosts));
    return all;
  }

  private static String join(List<Row> rows, Function<Row, String> value) {
    return rows.stream().map(value).collect(Collectors.joining(","));
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
