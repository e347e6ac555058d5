package io.kubitect.testing;

import io.kubitect.core.ApplyAction;
import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import io.kubitect.core.KubitectEvent;
import io.kubitect.core.Plan;
import io.kubitect.core.SpecValidator;
import io.kubitect.model.ClusterSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Benchmark behind {@code bench/fixture-speed}: how long the fixture takes from a cold JVM to the
 * end of its first simulated apply of the seed's HA cluster ({@link SpecFixtures#HA}), where that
 * time goes, and what a warm apply costs in the same JVM.
 *
 * <p>The driver (no mode argument) starts every run in a JVM of its own: {@code cold} runs (the
 * fixture's steps once, as {@code Fixture} takes them: read, validate, build on simulated hosts
 * with a listener, plan, apply, destroy, close) and {@code warm} runs (full applies and
 * provisioner-only applies after warm-ups, medians), in rounds. With several variants (a class path
 * and JVM options each) it interleaves their runs, so that the machine's load weighs on each alike.
 * Prints the figures; the last line is the summary of the first variant.
 */
public final class FixtureSpeedBench {
  /** Checkpoints of a cold run, in order; each is the end of a step that starts at the previous. */
  private static final List<String> STEPS =
      List.of("jvm", "read", "validate", "build", "plan", "apply", "destroy");

  /** Apply phases as the SDK's events name them, lower case. */
  private static final List<String> PHASES =
      List.of("plan", "provision", "load_balancers", "kubernetes", "state");

  /** The phases with what the apply does around them ({@code other}), for the cold table. */
  private static final List<String> APPLY_PARTS =
      List.of("plan", "provision", "load_balancers", "kubernetes", "state", "other");

  private static final Pattern SPACES = Pattern.compile("\\s+");

  private FixtureSpeedBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("cold")) {
      cold(Long.parseLong(args[1]));
    } else if (args.length > 0 && args[0].equals("warm")) {
      warm(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    } else {
      drive(args);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One cold run: prints "cold <key>=<value> ..." (times in ms since the driver spawned the JVM).

  private static void cold(long spawnNanos) throws Exception {
    long mainNanos = System.nanoTime();
    long mainCpu = processCpuMillis();
    Map<String, Long> wall = new LinkedHashMap<>();
    Map<String, Long> cpu = new LinkedHashMap<>();
    Map<String, Long> mainThread = new LinkedHashMap<>();
    wall.put("jvm", (mainNanos - spawnNanos) / 1_000_000);
    cpu.put("jvm", mainCpu);
    mainThread.put("jvm", cpuMillisOf(THIS_THREAD));

    ClusterSpec spec = SpecFixtures.ha();
    mark(wall, cpu, mainThread, "read", mainNanos);
    SpecValidator.validate(spec).throwIfInvalid();
    mark(wall, cpu, mainThread, "validate", mainNanos);
    Path root = Files.createTempDirectory("kubitect-fixture-speed-");
    Path home =
        Files.createDirectory(
            root.resolve("home"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    PhaseTimes phases = new PhaseTimes();
    RecordingListener recorder = new RecordingListener();
    Kubitect kubitect =
        Kubitect.builder()
            .simulatedHosts()
            .home(home)
            .stateDirectory(root.resolve("state"))
            .approval(Approval.SAFE_ONLY)
            .listener(recorder)
            .listener(phases::onEvent)
            .build();
    mark(wall, cpu, mainThread, "build", mainNanos);
    Plan plan = kubitect.plan(spec, ApplyAction.CREATE);
    mark(wall, cpu, mainThread, "plan", mainNanos);
    int nodes = kubitect.apply(plan).nodes().size();
    mark(wall, cpu, mainThread, "apply", mainNanos);
    long firstApplyWall = at(wall, "apply") + at(wall, "jvm");
    long firstApplyCpu = processCpuMillis();
    Map<String, Long> threads = threadCpuMillis();
    for (String cluster : kubitect.clusters()) {
      kubitect.destroy(cluster);
    }
    kubitect.close();
    Fixture.deleteTree(root);
    mark(wall, cpu, mainThread, "destroy", mainNanos);
    if (nodes != 8 || !recorder.failedSteps().isEmpty()) {
      throw new IllegalStateException("the HA cluster did not apply cleanly: " + recorder.lines());
    }
    StringBuilder line = new StringBuilder("cold");
    line.append(" wall_ms=").append(firstApplyWall).append(" cpu_ms=").append(firstApplyCpu);
    long previousWall = 0;
    long previousCpu = 0;
    long previousMain = 0;
    for (String step : STEPS) {
      long w = step.equals("jvm") ? at(wall, step) : at(wall, step) + at(wall, "jvm");
      line.append(' ').append(step).append("_ms=").append(w - previousWall);
      line.append(' ').append(step).append("_cpu_ms=").append(at(cpu, step) - previousCpu);
      previousWall = w;
      previousCpu = at(cpu, step);
      line.append(' ')
          .append(step)
          .append("_main_cpu_ms=")
          .append(at(mainThread, step) - previousMain);
      previousMain = at(mainThread, step);
    }
    long inPhases = 0;
    for (String phase : PHASES) {
      line.append(" phase_").append(phase).append("_ms=").append(phases.millis(phase));
      inPhases += phases.millis(phase);
    }
    // Outside the phases: the lock, the cluster directory, the keys, reading the result back.
    line.append(" phase_other_ms=")
        .append(Math.max(0, at(wall, "apply") - at(wall, "plan") - inPhases));
    threads.forEach(
        (group, ms) -> line.append(" threads_").append(group).append("_cpu_ms=").append(ms));
    line.append(" loaded_classes=").append(loadedClasses());
    System.out.println(line);
  }

  private static void mark(
      Map<String, Long> wall,
      Map<String, Long> cpu,
      Map<String, Long> mainThread,
      String step,
      long since)
      throws IOException {
    mainThread.put(step, cpuMillisOf(THIS_THREAD));
    wall.put(step, (System.nanoTime() - since) / 1_000_000);
    cpu.put(step, processCpuMillis());
  }

  // ---------------------------------------------------------------------------------------------
  // One warm JVM: prints "warm <key>=<value> ...", medians of its runs in ms.

  private static void warm(int warmups, int runs) throws Exception {
    ClusterSpec spec = SpecFixtures.ha();
    for (int i = 0; i < warmups; i++) {
      cycle(spec, true, new PhaseTimes());
      cycle(spec, false, new PhaseTimes());
    }
    List<Long> full = new ArrayList<>();
    List<Long> fullCycle = new ArrayList<>();
    List<Long> provision = new ArrayList<>();
    List<Long> fullCpu = new ArrayList<>();
    List<Long> provisionCpu = new ArrayList<>();
    Map<String, List<Long>> phases = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      PhaseTimes times = new PhaseTimes();
      long[] f = cycle(spec, true, times);
      full.add(f[0]);
      fullCycle.add(f[1]);
      fullCpu.add(f[2]);
      for (String phase : PHASES) {
        phases.computeIfAbsent(phase, p -> new ArrayList<>()).add(times.millis(phase));
      }
      long[] p = cycle(spec, false, new PhaseTimes());
      provision.add(p[0]);
      provisionCpu.add(p[2]);
    }
    StringBuilder line = new StringBuilder("warm");
    line.append(" apply_ms=").append(median(full));
    line.append(" cycle_ms=").append(median(fullCycle));
    line.append(" provision_only_ms=").append(median(provision));
    line.append(" apply_cpu_ms=").append(median(fullCpu));
    line.append(" provision_only_cpu_ms=").append(median(provisionCpu));
    phases.forEach((p, v) -> line.append(" phase_").append(p).append("_ms=").append(median(v)));
    System.out.println(line);
  }

  /**
   * A fixture's life in a warm JVM: build, apply, destroy, close. Returns the apply's wall time,
   * the whole cycle's and the process's CPU time during the apply, in ms.
   */
  private static long[] cycle(ClusterSpec spec, boolean full, PhaseTimes phases)
      throws IOException {
    long start = System.nanoTime();
    Path root = Files.createTempDirectory("kubitect-fixture-speed-");
    Path home =
        Files.createDirectory(
            root.resolve("home"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Kubitect.Builder builder =
        Kubitect.builder()
            .simulatedHosts()
            .home(home)
            .stateDirectory(root.resolve("state"))
            .listener(new RecordingListener())
            .listener(phases::onEvent);
    if (!full) {
      builder.withoutLoadBalancers().withoutKubernetes();
    }
    long apply;
    long applyCpu;
    try (Kubitect kubitect = builder.build()) {
      long applyStart = System.nanoTime();
      long cpuStart = processCpuMillis();
      kubitect.apply(spec, ApplyAction.CREATE);
      apply = System.nanoTime() - applyStart;
      applyCpu = processCpuMillis() - cpuStart;
      for (String cluster : kubitect.clusters()) {
        kubitect.destroy(cluster);
      }
    }
    Fixture.deleteTree(root);
    return new long[] {apply / 1_000_000, (System.nanoTime() - start) / 1_000_000, applyCpu};
  }

  /** Wall time of each apply phase, from the SDK's own {@code PhaseFinished} events. */
  private static final class PhaseTimes {
    private final Map<String, Long> millis = new ConcurrentHashMap<>();

    void onEvent(KubitectEvent event) {
      if (event instanceof KubitectEvent.PhaseFinished f) {
        millis.merge(
            f.phase().toString().toLowerCase(Locale.ROOT), f.elapsed().toMillis(), Long::sum);
      }
    }

    long millis(String phase) {
      return millis.getOrDefault(phase, 0L);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The driver.

  private static void drive(String[] args) throws Exception {
    int runs = 5;
    int warmups = 3;
    int warmRuns = 6;
    int warmRounds = 3;
    Map<String, String> variants = new LinkedHashMap<>();
    Map<String, String> variantOptions = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.startsWith("runs=")) {
        runs = Integer.parseInt(arg.substring(5));
      } else if (arg.startsWith("warmups=")) {
        warmups = Integer.parseInt(arg.substring(8));
      } else if (arg.startsWith("warm=")) {
        warmRuns = Integer.parseInt(arg.substring(5));
      } else if (arg.startsWith("rounds=")) {
        warmRounds = Integer.parseInt(arg.substring(7));
      } else if (arg.contains(".opts=")) {
        variantOptions.put(
            arg.substring(0, arg.indexOf(".opts=")), arg.substring(arg.indexOf(".opts=") + 6));
      } else if (arg.contains("=")) {
        variants.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        throw new IllegalArgumentException(
            "unknown argument "
                + arg
                + " (runs=N warmups=N warm=N rounds=N, then NAME=CLASSPATH and NAME.opts=JVM_OPTIONS per"
                + " variant; the first variant is the one the last line sums up)");
      }
    }
    if (variants.isEmpty()) {
      variants.put("now", System.getProperty("java.class.path"));
    }
    System.out.printf(
        Locale.ROOT,
        "fixture-speed: %d cold JVMs and %d warm JVMs (%d warm-ups, %d runs each) per variant;"
            + " %d CPUs, load %s%n",
        runs,
        warmRounds,
        warmups,
        warmRuns,
        Runtime.getRuntime().availableProcessors(),
        load());
    for (String name : variants.keySet()) {
      System.out.printf(
          Locale.ROOT,
          "  %-8s JVM options: %s%n",
          name,
          variantOptions.getOrDefault(name, "(none)"));
    }
    Map<String, List<Map<String, Long>>> colds = new LinkedHashMap<>();
    Map<String, List<Map<String, Long>>> warms = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      for (Map.Entry<String, String> v : variants.entrySet()) {
        String options = variantOptions.getOrDefault(v.getKey(), "");
        Map<String, Long> run = child(v.getValue(), options, "cold", "SPAWN");
        colds.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(run);
        System.out.printf(Locale.ROOT, "  %-8s cold run %d: %s%n", v.getKey(), i + 1, run);
      }
    }
    // Warm JVMs in rounds too, each reporting its medians; the figure is the median of the rounds.
    for (int round = 1; round <= warmRounds; round++) {
      for (Map.Entry<String, String> v : variants.entrySet()) {
        String options = variantOptions.getOrDefault(v.getKey(), "");
        Map<String, Long> run =
            child(v.getValue(), options, "warm", String.valueOf(warmups), String.valueOf(warmRuns));
        warms.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(run);
        System.out.printf(Locale.ROOT, "  %-8s warm JVM %d: %s%n", v.getKey(), round, run);
      }
    }
    List<String> summaries = new ArrayList<>();
    for (String name : variants.keySet()) {
      Map<String, Long> m = medians(Objects.requireNonNull(colds.get(name)));
      Map<String, Long> w = medians(Objects.requireNonNull(warms.get(name)));
      System.out.printf(Locale.ROOT, "%n%s, medians of %d cold JVMs (ms):%n", name, runs);
      System.out.printf(
          Locale.ROOT, "  %-16s %8s %8s %12s%n", "step", "wall", "cpu", "main thread");
      for (String step : STEPS) {
        System.out.printf(
            Locale.ROOT,
            "  %-16s %8d %8d %12d%n",
            step,
            at(m, step + "_ms"),
            at(m, step + "_cpu_ms"),
            at(m, step + "_main_cpu_ms"));
      }
      System.out.printf(
          Locale.ROOT,
          "  apply, by phase (the SDK's PhaseFinished events; other: outside them):%n");
      for (String phase : APPLY_PARTS) {
        System.out.printf(Locale.ROOT, "    %-14s %8d%n", phase, at(m, "phase_" + phase + "_ms"));
      }
      System.out.printf(
          Locale.ROOT,
          "  to the end of the first apply: %d ms wall, %d ms CPU; %d classes loaded%n",
          at(m, "wall_ms"),
          at(m, "cpu_ms"),
          at(m, "loaded_classes"));
      long alive = THREAD_GROUPS.stream().mapToLong(g -> at(m, "threads_" + g + "_cpu_ms")).sum();
      System.out.printf(
          Locale.ROOT,
          "  CPU by thread then: main %d, JIT compilers %d, GC %d, SDK threads %d, other %d,"
              + " threads that had ended %d%n",
          at(m, "threads_main_cpu_ms"),
          at(m, "threads_jit_cpu_ms"),
          at(m, "threads_gc_cpu_ms"),
          at(m, "threads_sdk_cpu_ms"),
          at(m, "threads_other_cpu_ms"),
          Math.max(0, at(m, "cpu_ms") - alive));
      System.out.printf(
          Locale.ROOT,
          "  warm: apply %d ms wall, %d ms CPU (fixture cycle %d ms); provisioner only %d ms wall,"
              + " %d ms CPU%n",
          at(w, "apply_ms"),
          at(w, "apply_cpu_ms"),
          at(w, "cycle_ms"),
          at(w, "provision_only_ms"),
          at(w, "provision_only_cpu_ms"));
      System.out.printf(
          Locale.ROOT,
          "  warm full apply by phase: %s%n",
          APPLY_PARTS.stream()
              .filter(p -> w.containsKey("phase_" + p + "_ms"))
              .map(p -> p + " " + at(w, "phase_" + p + "_ms"))
              .collect(Collectors.joining(", ")));
      summaries.add(summary(m, w));
    }
    System.out.printf(Locale.ROOT, "load after: %s%n", load());
    // The first variant's line last, without a name: the one to compare across runs.
    for (int i = summaries.size() - 1; i >= 0; i--) {
      String name = List.copyOf(variants.keySet()).get(i);
      System.out.println(
          i == 0
              ? "fixture-speed:" + summaries.get(i)
              : "fixture-speed: variant=" + name + summaries.get(i));
    }
  }

  private static String summary(Map<String, Long> cold, Map<String, Long> warm) {
    Map<String, Long> top = new LinkedHashMap<>();
    for (String step : STEPS) {
      if (!step.equals("apply")) {
        top.put(step, at(cold, step + "_ms"));
      }
    }
    for (String part : APPLY_PARTS) {
      top.put("apply." + part, at(cold, "phase_" + part + "_ms"));
    }
    String topFour =
        top.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
            .limit(4)
            .map(e -> e.getKey() + ":" + e.getValue())
            .collect(Collectors.joining(","));
    return String.format(
        Locale.ROOT,
        " cold_wall_ms=%d cold_cpu_ms=%d first_apply_ms=%d warm_apply_ms=%d"
            + " warm_provision_ms=%d warm_apply_cpu_ms=%d warm_provision_cpu_ms=%d top=%s",
        at(cold, "wall_ms"),
        at(cold, "cpu_ms"),
        at(cold, "plan_ms") + at(cold, "apply_ms"),
        at(warm, "apply_ms"),
        at(warm, "provision_only_ms"),
        at(warm, "apply_cpu_ms"),
        at(warm, "provision_only_cpu_ms"),
        topFour);
  }

  /** Runs this class in a new JVM; {@code SPAWN} becomes the spawn time. Returns its figures. */
  private static Map<String, Long> child(String classpath, String options, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!options.isEmpty()) {
      command.addAll(Arrays.asList(SPACES.split(options, -1)));
    }
    command.add("-cp");
    command.add(classpath);
    command.add(FixtureSpeedBench.class.getName());
    long spawn = System.nanoTime();
    for (String arg : args) {
      command.add(arg.equals("SPAWN") ? String.valueOf(spawn) : arg);
    }
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String result = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = out.readLine(); l != null; l = out.readLine()) {
        if (l.startsWith(args[0] + " ")) {
          result = l;
        } else {
          System.out.println("    | " + l);
        }
      }
    }
    int exit = process.waitFor();
    if (exit != 0 || result == null) {
      throw new IllegalStateException(args[0] + " run failed with exit code " + exit);
    }
    Map<String, Long> figures = new LinkedHashMap<>();
    for (String pair : SPACES.split(result.substring(args[0].length() + 1).strip(), -1)) {
      int eq = pair.indexOf('=');
      figures.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
    }
    return figures;
  }

  private static Map<String, Long> medians(List<Map<String, Long>> runs) {
    Map<String, Long> medians = new LinkedHashMap<>();
    for (String key : runs.get(0).keySet()) {
      medians.put(key, median(runs.stream().map(r -> r.get(key)).toList()));
    }
    return medians;
  }

  /** A figure a run reported; every run reports every key. */
  private static long at(Map<String, Long> figures, String key) {
    Long value = figures.get(key);
    if (value == null) {
      throw new IllegalStateException("no figure " + key + " in " + figures);
    }
    return value;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * The process's CPU time (user + system, every thread, also those that ended) from {@code
   * /proc/self/stat}, in ms; read without java.management so that measuring adds no class loading.
   */
  private static long processCpuMillis() throws IOException {
    return cpuMillisOf(Path.of("/proc/self/stat"));
  }

  /** The calling thread's {@code stat} file. */
  private static final Path THIS_THREAD = Path.of("/proc/thread-self/stat");

  /** User + system CPU time in ms from a {@code stat} file of /proc (a process's or a thread's). */
  private static long cpuMillisOf(Path statFile) throws IOException {
    String stat = Files.readString(statFile);
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] f = SPACES.split(stat.substring(stat.lastIndexOf(')') + 2).strip(), -1);
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    return ticks * 1000 / CLOCK_TICKS;
  }

  /** Thread groups of the JVM, by the names Linux has for them (15 characters at most). */
  private static final List<String> THREAD_GROUPS = List.of("main", "jit", "gc", "sdk", "other");

  /**
   * CPU time of the threads alive now, summed by group: the main thread, the JIT compilers, the
   * garbage collector, the SDK's own threads ({@code kubitect-...}) and the rest (the JVM's service
   * threads, libvirt's event loop); threads that already ended are only in the process's total.
   */
  private static Map<String, Long> threadCpuMillis() throws IOException {
    Map<String, Long> groups = new LinkedHashMap<>();
    THREAD_GROUPS.forEach(g -> groups.put(g, 0L));
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // ended meanwhile
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = SPACES.split(stat.substring(stat.lastIndexOf(')') + 2).strip(), -1);
        long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLOCK_TICKS;
        String group =
            name.equals("java") || name.equals("main")
                ? "main"
                : name.contains("CompilerThre")
                    ? "jit"
                    : name.startsWith("GC Thread") || name.startsWith("G1 ")
                        ? "gc"
                        : name.startsWith("kubitect") ? "sdk" : "other";
        groups.merge(group, ms, Long::sum);
      }
    }
    return groups;
  }

  /** USER_HZ: 100 on every Linux this runs on (the kernel's ABI fixes it for /proc). */
  private static final long CLOCK_TICKS = 100;

  private static long loadedClasses() {
    return java.lang.management.ManagementFactory.getClassLoadingMXBean()
        .getTotalLoadedClassCount();
  }

  private static String load() {
    try {
      return SPACES.split(Files.readString(Path.of("/proc/loadavg")).strip(), -1)[0];
    } catch (IOException e) {
      return "?";
    }
  }
}
