package io.kubitect.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubitect.core.KubitectEvent;
import io.kubitect.core.NodeStatus;
import io.kubitect.core.ResourceChange;
import io.kubitect.core.SpecValidator;
import io.kubitect.core.Step;
import io.kubitect.core.StepOutcome;
import io.kubitect.core.ValidationReport;
import io.kubitect.core.spi.ClusterCredentials;
import io.kubitect.core.spi.InfrastructureProvisioner;
import io.kubitect.core.spi.InfrastructureStatus;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.SshKeyPair;
import io.kubitect.core.spi.StepListener;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.Cluster;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.Connection;
import io.kubitect.model.ConnectionType;
import io.kubitect.model.Host;
import io.kubitect.model.Kubernetes;
import io.kubitect.model.Network;
import io.kubitect.model.NetworkMode;
import io.kubitect.model.NodeGroup;
import io.kubitect.model.NodeInstance;
import io.kubitect.model.NodeTemplate;
import io.kubitect.model.Nodes;
import io.kubitect.model.OperatingSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link InfrastructureProvisioner} must do, checked through the SPI alone: extend this
 * class, return a new provisioner from {@link #createProvisioner()}, say whether its hosts are
 * simulated, and run it with JUnit 5. For real hosts, also override {@link #hosts()} and {@link
 * #imageSource()} (and {@link #subnet(int)} when {@code 10.234.0.0/23} is taken).
 *
 * <pre>{@code
 * class MyProvisionerContractTest extends InfrastructureProvisionerContract {
 *   @Override
 *   protected InfrastructureProvisioner createProvisioner() {
 *     return new MyProvisioner(...);
 *   }
 *
 *   @Override
 *   protected boolean simulated() {
 *     return true;
 *   }
 * }
 * }</pre>
 *
 * The contract, one test each:
 *
 * <ol>
 *   <li>an apply creates every node on its host and says whether it was simulated; a re-apply of
 *       the same topology makes 0 mutating calls and finds every node unchanged;
 *   <li>scaling a worker out and in touches that node only: the others stay unchanged and no step
 *       creates, changes or removes anything of another node;
 *   <li>destroy removes only what its cluster owns: a second cluster on the same hosts survives
 *       unchanged (its re-apply makes 0 mutating calls), destroying again is harmless, and the
 *       destroyed cluster's nodes are created anew by the next apply;
 *   <li>an apply interrupted at several points (before it starts, at its first step, half-way, at
 *       its last step) returns within {@link #cancellationTimeout()}, keeps the interrupt when it
 *       stops for it, reports no step after it returned, and leaves a state the next apply
 *       converges from: every node there, and a third apply with 0 mutating calls.
 * </ol>
 *
 * In every test, each step an executor starts is finished exactly once (see {@link
 * RecordingListener}), and nothing fails that should not. Each test uses clusters of its own and
 * destroys them afterwards; the provisioner is closed after each test.
 */
public abstract class InfrastructureProvisionerContract {
  /** How many workers the largest topology of a test has; credentials cover all of them. */
  private static final int MAX_WORKERS = 3;

  /** The contract's scratch directory (keys, known_hosts, the default host's pools). */
  @TempDir protected Path workDirectory;

  private @Nullable InfrastructureProvisioner provisioner;
  private final Map<String, Topology> toDestroy = new LinkedHashMap<>();
  private final Map<String, ClusterCredentials> credentials = new HashMap<>();

  /** For subclasses. */
  protected InfrastructureProvisionerContract() {
    this.workDirectory = Path.of("");
  }

  // ------------------------------------------------------------------ what a subclass gives

  /** A new provisioner; the contract makes one per test and closes it after the test. */
  protected abstract InfrastructureProvisioner createProvisioner();

  /** Whether the provisioner's hosts are simulated. */
  protected abstract boolean simulated();

  /**
   * The hosts the contract's clusters run on, nodes spread over them in order. One local host,
   * {@code h1}, with its main pool in {@link #workDirectory} by default.
   */
  protected List<Host> hosts() {
    return List.of(
        Host.builder()
            .name("h1")
            .connection(Connection.builder().type(ConnectionType.LOCAL).build())
            .mainResourcePoolPath(workDirectory.resolve("pools").toString())
            .build());
  }

  /** The image nodes boot: by default a URL that simulated hosts never download. */
  protected String imageSource() {
    return "https://example.invalid/kubitect-contract-never-downloaded.qcow2";
  }

  /**
   * The first three octets of cluster {@code index}'s NAT network (index 0 or 1): {@code 10.234.0}
   * and {@code 10.234.1} by default.
   */
  protected String subnet(int index) {
    return "10.234." + index;
  }

  /**
   * The name of cluster {@code index} (0 or 1), unique per implementation so runs of different
   * implementations on shared hosts never meet: {@code pc<hash of the class name>-<index>}.
   */
  protected String clusterName(int index) {
    String hash = Integer.toString(getClass().getName().hashCode() & 0x7fffffff, 36);
    return "pc" + hash + "-" + index;
  }

  /** How long an interrupted apply may take to return. */
  protected Duration cancellationTimeout() {
    return Duration.ofSeconds(60);
  }

  /** The provisioner of the running test. */
  protected final InfrastructureProvisioner provisioner() {
    InfrastructureProvisioner p = provisioner;
    if (p == null) {
      throw new IllegalStateException("no provisioner outside a test");
    }
    return p;
  }

  /**
   * The topology of cluster {@code index} with one master and {@code workers} workers (at most 3),
   * 1 CPU, 1 GiB of memory and a 1 GiB disk each, at {@code <subnet>.10} and {@code
   * <subnet>.21...}.
   */
  protected Topology topology(int index, int workers) {
    if (workers < 0 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException("0 to " + MAX_WORKERS + " workers, not " + workers);
    }
    List<Host> hosts = hosts();
    if (hosts.isEmpty()) {
      throw new IllegalStateException("hosts() is empty");
    }
    String net = subnet(index);
    NodeGroup.Builder workerGroup = NodeGroup.builder();
    for (int i = 1; i <= workers; i++) {
      workerGroup.addInstances(node(String.valueOf(i), host(hosts, i), net + "." + (20 + i)));
    }
    ClusterSpec spec =
        ClusterSpec.builder()
            .addAllHosts(hosts)
            .cluster(
                Cluster.builder()
                    .name(clusterName(index))
                    .network(Network.builder().mode(NetworkMode.NAT).cidr(net + ".0/24").build())
                    .nodeTemplate(
                        NodeTemplate.builder()
                            .os(
                                OperatingSystem.builder()
                                    .source(imageSource())
                                    .networkInterface("ens3")
                                    .build())
                            .build())
                    .nodes(
                        Nodes.builder()
                            .master(
                                NodeGroup.builder()
                                    .addInstances(node("1", host(hosts, 0), net + ".10"))
                                    .build())
                            .worker(workerGroup.build())
                            .build())
                    .build())
            .kubernetes(Kubernetes.builder().version("v1.33.4").build())
            .build();
    ValidationReport report = SpecValidator.validate(spec);
    if (report.hasErrors()) {
      throw new IllegalStateException(
          "the contract's specification for these hosts is invalid: " + report.errors());
    }
    return Topology.of(spec);
  }

  private static String host(List<Host> hosts, int i) {
    return hosts.get(i % hosts.size()).name().orElseThrow();
  }

  private static NodeInstance node(String id, String host, String ip) {
    return NodeInstance.builder().id(id).host(host).ip(ip).cpu(1).ram(1).mainDiskSize(1).build();
  }

  /** The credentials of cluster {@code index}: fresh keys, a host key for every possible node. */
  protected final ClusterCredentials credentials(int index) {
    return credentials.computeIfAbsent(
        clusterName(index),
        name -> {
          Map<String, SshKeyPair> hostKeys = new HashMap<>();
          for (Node node : topology(index, MAX_WORKERS).nodes()) {
            hostKeys.put(node.name(), SshKeyPair.generateEd25519(node.name()));
          }
          SshKeyPair user = SshKeyPair.generateEd25519("kubitect@" + name);
          return new ClusterCredentials(
              workDirectory.resolve(name + "-id_ed25519"),
              user.publicKey(),
              hostKeys,
              workDirectory.resolve(name + "-known_hosts"));
        });
  }

  // ------------------------------------------------------------------ set-up

  @BeforeEach
  final void openProvisioner() {
    provisioner = createProvisioner();
  }

  @AfterEach
  final void destroyAndClose() {
    InfrastructureProvisioner p = provisioner;
    provisioner = null;
    if (p == null) {
      return;
    }
    List<Throwable> problems = new ArrayList<>();
    try {
      for (Topology topology : toDestroy.values()) {
        try {
          p.destroy(topology, StepListener.NONE);
        } catch (RuntimeException e) {
          problems.add(e);
        }
      }
    } finally {
      toDestroy.clear();
      p.close();
    }
    if (!problems.isEmpty()) {
      AssertionError error =
          new AssertionError("destroying the contract's clusters after the test failed");
      problems.forEach(error::addSuppressed);
      throw error;
    }
  }

  /** Applies {@code topology} with events to {@code events}, checking that they pair up. */
  private InfrastructureStatus apply(int index, Topology topology, RecordingListener events) {
    toDestroy.put(topology.clusterName(), topology);
    InfrastructureStatus status =
        provisioner().apply(topology, credentials(index), events.stepListener(label(topology)));
    events.assertPaired();
    return status;
  }

  private static String label(Topology topology) {
    return topology.clusterName();
  }

  // ------------------------------------------------------------------ the contract

  /** Creates every node on its host; a re-apply makes 0 mutating calls. */
  @Test
  protected void createsEveryNodeOnItsHostThenReappliesWithoutMutations() {
    Topology topology = topology(0, 2);
    RecordingListener events = new RecordingListener();

    InfrastructureStatus first = apply(0, topology, events);

    assertEquals(simulated(), provisioner().simulated(), "provisioner.simulated()");
    assertEquals(simulated(), first.simulated(), "status.simulated() of the apply");
    assertEquals(names(topology), names(first.nodes()), "nodes of the apply");
    for (Node node : topology.nodes()) {
      NodeStatus status = first.node(node.name()).orElseThrow();
      assertEquals(ResourceChange.CREATED, status.change(), node.name() + " " + status);
      assertEquals(node.host(), status.host(), "host of " + node.name());
      node.ip().ifPresent(ip -> assertEquals(ip, status.ip().orElse("-"), "ip of " + node.name()));
      assertFalse(status.ready() && simulated(), node.name() + " is ready on simulated hosts");
    }
    assertTrue(first.mutatingCalls() > 0, "a first apply changes something: " + first);
    assertNoFailedStep(events);

    events.clear();
    InfrastructureStatus again = apply(0, topology, events);

    assertEquals(0, again.mutatingCalls(), "mutating calls of a re-apply: " + again);
    assertAllUnchanged(topology, again, "re-apply");
    assertNoFailedStep(events);
    assertNoMutatingStep(events, Set.of(), "re-apply");
  }

  /** Scaling out and in touches only the node that comes or goes. */
  @Test
  protected void scalesOutAndInTouchingOnlyTheChangedNode() {
    Topology one = topology(0, 1);
    Topology two = topology(0, 2);
    String added = clusterName(0) + "-worker-2";
    RecordingListener events = new RecordingListener();
    apply(0, one, events);

    events.clear();
    InfrastructureStatus out = apply(0, two, events);
    assertEquals(names(two), names(out.nodes()), "nodes after scaling out");
    for (NodeStatus node : out.nodes()) {
      assertEquals(
          node.name().equals(added) ? ResourceChange.CREATED : ResourceChange.UNCHANGED,
          node.change(),
          "scale-out: " + node);
    }
    assertNoFailedStep(events);
    assertNoMutatingStep(events, Set.of(added), "scale-out");

    events.clear();
    InfrastructureStatus in = apply(0, one, events);
    for (NodeStatus node : in.nodes()) {
      assertEquals(
          node.name().equals(added) ? ResourceChange.REMOVED : ResourceChange.UNCHANGED,
          node.change(),
          "scale-in: " + node);
    }
    assertTrue(
        in.node(added).isPresent(), "the status of a scale-in names the removed node: " + in);
    assertNoFailedStep(events);
    assertNoMutatingStep(events, Set.of(added), "scale-in");

    events.clear();
    InfrastructureStatus steady = apply(0, one, events);
    assertAllUnchanged(one, steady, "re-apply after scaling in");
    assertNoMutatingStep(events, Set.of(), "re-apply after scaling in");
  }

  /** Destroy removes what its cluster owns and nothing of another cluster on the same hosts. */
  @Test
  protected void destroyRemovesOnlyWhatTheClusterOwns() {
    Topology mine = topology(0, 1);
    Topology other = topology(1, 1);
    RecordingListener events = new RecordingListener();
    apply(0, mine, events);
    apply(1, other, events);

    events.clear();
    provisioner().destroy(mine, events.stepListener(label(mine)));
    events.assertPaired();
    assertNoFailedStep(events);

    events.clear();
    InfrastructureStatus survivor = apply(1, other, events);
    assertEquals(
        0,
        survivor.mutatingCalls(),
        "the other cluster on the same hosts must survive a destroy untouched: " + survivor);
    assertAllUnchanged(other, survivor, "the other cluster after the destroy");

    events.clear();
    provisioner().destroy(mine, events.stepListener(label(mine)));
    events.assertPaired();
    assertNoFailedStep(events);

    events.clear();
    InfrastructureStatus anew = apply(0, mine, events);
    for (NodeStatus node : anew.nodes()) {
      assertEquals(
          ResourceChange.CREATED,
          node.change(),
          "after its destroy, the cluster's nodes are created anew: " + node);
    }
  }

  /** An interrupted apply stops, keeps the interrupt, and the next apply converges. */
  @Test
  protected void anInterruptedApplyLeavesAStateTheNextApplyConvergesFrom() throws Exception {
    Topology topology = topology(0, 2);
    RecordingListener reference = new RecordingListener();
    apply(0, topology, reference);
    provisioner().destroy(topology, StepListener.NONE);
    int steps = reference.events(KubitectEvent.StepStarted.class).size();
    Set<Integer> cuts = new LinkedHashSet<>(List.of(0, 1, Math.max(1, steps / 2), steps));

    for (int cut : cuts) {
      String at = cut == 0 ? "before the apply" : "at step " + cut + " of " + steps;
      RecordingListener events = new RecordingListener();
      Interrupted run = interruptedApply(topology, credentials(0), events, cut);
      assertTrue(
          run.ended, "an apply interrupted " + at + " returned within " + cancellationTimeout());
      events.assertPaired();
      int afterReturn = events.events().size();
      TimeUnit.MILLISECONDS.sleep(50);
      assertEquals(
          afterReturn,
          events.events().size(),
          "events after an apply interrupted " + at + " returned: " + events.lines());
      if (run.thrown != null) {
        assertTrue(
            run.interruptKept,
            "an apply that stopped for the interrupt ("
                + at
                + ") keeps the thread's interrupt; it threw "
                + run.thrown);
      } else {
        InfrastructureStatus done = run.status;
        assertTrue(
            done != null && !done.hasFailures(),
            "an apply interrupted " + at + " returned a status with failures: " + done);
      }

      RecordingListener after = new RecordingListener();
      InfrastructureStatus converged = apply(0, topology, after);
      assertEquals(
          names(topology), names(converged.nodes()), "nodes after the re-apply (" + at + ")");
      assertFalse(converged.hasFailures(), "re-apply after an interrupt " + at + ": " + converged);
      assertNoFailedStep(after);
      after.clear();
      InfrastructureStatus steady = apply(0, topology, after);
      assertNoFailedStep(after);
      assertEquals(
          0, steady.mutatingCalls(), "mutating calls of a third apply (" + at + "): " + steady);
      assertAllUnchanged(topology, steady, "third apply after an interrupt " + at);
      provisioner().destroy(topology, StepListener.NONE);
    }
  }

  private static final class Interrupted {
    boolean ended;
    boolean interruptKept;
    @Nullable Throwable thrown;
    @Nullable InfrastructureStatus status;
  }

  /** Applies on a thread of its own, interrupted before the call (0) or at the cut-th step. */
  private Interrupted interruptedApply(
      Topology topology, ClusterCredentials creds, RecordingListener events, int cut)
      throws InterruptedException {
    toDestroy.put(topology.clusterName(), topology);
    Interrupted result = new Interrupted();
    AtomicReference<@Nullable Thread> caller = new AtomicReference<>();
    AtomicInteger started = new AtomicInteger();
    AtomicBoolean interrupted = new AtomicBoolean();
    StepListener recorder = events.stepListener(label(topology));
    StepListener interrupting =
        new StepListener() {
          @Override
          public void started(Step step) {
            recorder.started(step);
            if (started.incrementAndGet() == cut && !interrupted.getAndSet(true)) {
              Thread t = caller.get();
              if (t != null) {
                t.interrupt();
              }
            }
          }

          @Override
          public void finished(Step step, StepOutcome outcome, String detail) {
            recorder.finished(step, outcome, detail);
          }

          @Override
          public void failed(Step step, Throwable error) {
            recorder.failed(step, error);
          }

          @Override
          public void progress(Step step, int done, int total, String detail) {
            recorder.progress(step, done, total, detail);
          }
        };
    Thread thread =
        new Thread(
            () -> {
              if (cut == 0) {
                Thread.currentThread().interrupt();
              }
              try {
                result.status = provisioner().apply(topology, creds, interrupting);
              } catch (RuntimeException | Error e) {
                result.thrown = e;
              } finally {
                result.interruptKept = Thread.currentThread().isInterrupted();
              }
            },
            "contract-interrupted-apply");
    caller.set(thread);
    thread.start();
    thread.join(cancellationTimeout().toMillis());
    result.ended = !thread.isAlive();
    if (!result.ended) {
      fail(
          "an apply interrupted at step "
              + cut
              + " did not return within "
              + cancellationTimeout()
              + "; events: "
              + events.lines());
    }
    return result;
  }

  // ------------------------------------------------------------------ checks

  /** The topology's node names, sorted: statuses may come in any order (by host, say). */
  private static List<String> names(Topology topology) {
    return topology.nodes().stream().map(Node::name).sorted().toList();
  }

  /** The names of the nodes a status has (not removed), sorted. */
  private static List<String> names(List<NodeStatus> nodes) {
    return nodes.stream()
        .filter(n -> n.change() != ResourceChange.REMOVED)
        .map(NodeStatus::name)
        .sorted()
        .toList();
  }

  private static void assertAllUnchanged(
      Topology topology, InfrastructureStatus status, String what) {
    assertEquals(names(topology), names(status.nodes()), "nodes of the " + what);
    for (NodeStatus node : status.nodes()) {
      assertEquals(ResourceChange.UNCHANGED, node.change(), what + ": " + node);
    }
  }

  private static void assertNoFailedStep(RecordingListener events) {
    List<KubitectEvent.StepFinished> failed = events.failedSteps();
    if (!failed.isEmpty()) {
      fail("steps failed:\n  " + String.join("\n  ", events.lines()));
    }
  }

  /**
   * No step created, changed or removed anything of a node other than {@code allowed}. Steps on a
   * host as a whole (its network, its pools) are not judged: adding a node may change them.
   */
  private static void assertNoMutatingStep(
      RecordingListener events, Set<String> allowed, String what) {
    Set<StepOutcome> mutating =
        Set.of(StepOutcome.CREATED, StepOutcome.CHANGED, StepOutcome.REMOVED);
    List<String> wrong = new ArrayList<>();
    for (KubitectEvent.StepFinished e : events.events(KubitectEvent.StepFinished.class)) {
      if (mutating.contains(e.outcome())
          && e.step().node().isPresent()
          && !allowed.contains(e.step().node().get())) {
        wrong.add(RecordingListener.describe(e));
      }
    }
    if (!wrong.isEmpty()) {
      fail(
          what
              + " touched "
              + (allowed.isEmpty() ? "nodes" : "nodes other than " + allowed)
              + ":\n  "
              + String.join("\n  ", wrong)
              + "\nevents:\n  "
              + String.join("\n  ", events.lines()));
    }
  }
}
