package io.kubitect.examples;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.ApplyRun;
import io.kubitect.core.Kubitect;
import io.kubitect.core.KubitectEvent;
import io.kubitect.core.Plan;
import io.kubitect.core.StepOutcome;
import io.kubitect.model.ClusterSpec;
import io.kubitect.model.KubitectYaml;
import io.kubitect.model.NodeInstance;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a platform tool embedding the SDK writes, to copy from: default composition from the class
 * path, plan then apply exactly the reviewed plan, typed events for a progress display, a scale-out
 * with the model's helpers, and a cancellable run. {@code EmbeddingExampleTest} runs it on
 * simulated hosts; with {@code simulated} false the same code provisions real VMs.
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  /**
   * Creates the cluster of {@code config}, adds a worker at {@code newWorkerIp}, and destroys it
   * again.
   *
   * @return the number of nodes after the scale-out
   */
  public static int run(
      Path config, Path stateDirectory, String newWorkerIp, boolean simulated, PrintStream out) {
    ClusterSpec spec = KubitectYaml.read(config);
    AtomicInteger failedSteps = new AtomicInteger();
    Kubitect.Builder builder =
        Kubitect.builder()
            .stateDirectory(stateDirectory)
            .listener(
                event -> {
                  // Events come in order on one thread: no locking needed here.
                  if (event instanceof KubitectEvent.Progress p && p.total() > 0) {
                    out.printf("%s %d/%d%n", p.phase(), p.done(), p.total());
                  } else if (event instanceof KubitectEvent.StepFinished s
                      && s.outcome() == StepOutcome.FAILED) {
                    failedSteps.incrementAndGet();
                  } else if (event instanceof KubitectEvent.Warning w) {
                    out.println("warning: " + w.message());
                  }
                });
    if (simulated) {
      builder.simulatedHosts();
    }
    try (Kubitect kubitect = builder.build()) {
      Plan plan = kubitect.plan(spec, ApplyAction.CREATE);
      out.print(plan.render()); // review it; apply(plan) runs exactly this
      AppliedCluster cluster = kubitect.apply(plan);
      out.println("API at " + cluster.apiEndpoint().orElse("-"));

      String host = spec.hosts().get(0).name().orElseThrow();
      ClusterSpec bigger = spec.withWorker(NodeInstance.of("4", host).withIp(newWorkerIp));
      ApplyRun run = kubitect.applyAsync(kubitect.plan(bigger, ApplyAction.SCALE));
      // run.cancel() here would stop it at a safe point and wait for every worker.
      int nodes = run.join().nodes().size();

      kubitect.destroy(cluster.name());
      out.println("failed steps: " + failedSteps.get());
      return nodes;
    }
  }

  /**
   * {@code EmbeddingExample FILE STATE_DIR NEW_WORKER_IP [--real]}: simulated hosts unless {@code
   * --real}.
   */
  public static void main(String[] args) {
    boolean real = args.length > 3 && args[3].equals("--real");
    run(Path.of(args[0]), Path.of(args[1]), args[2], !real, System.out);
  }
}
