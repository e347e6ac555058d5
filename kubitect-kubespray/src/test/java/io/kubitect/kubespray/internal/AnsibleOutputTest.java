package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.kubitect.kubespray.internal.AnsibleEvent.Counts;
import io.kubitect.kubespray.internal.AnsibleEvent.HostResult;
import io.kubitect.kubespray.internal.AnsibleEvent.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Parsing of ansible-playbook's default output (ansible-core 2.14, no colour). */
class AnsibleOutputTest {
  static final String OUTPUT =
      """

      PLAY [Install Kubernetes] ******************************************************

      TASK [kubernetes/preinstall : Create directories] ******************************
      ok: [node-1]
      changed: [node-2]
      skipping: [node-3]

      TASK [Join the node] ***********************************************************
      changed: [node-2 -> master-1(10.0.0.10)]
      fatal: [node-3]: FAILED! => {"changed": false, "msg": "stand-in failure on \\"node-3\\"\\nsecond line"}
      fatal: [node-1]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: Host key verification failed.", "unreachable": true}

      TASK [Optional step] ***********************************************************
      fatal: [node-2]: FAILED! => {"changed": false, "msg": "ignored"}
      ...ignoring

      RUNNING HANDLER [restart kubelet] **********************************************
      failed: [node-2] (item=a) => {"ansible_loop_var": "item", "item": "a", "msg": "loop failed"}

      PLAY RECAP *********************************************************************
      node-1                     : ok=1    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0
      node-2                     : ok=3    changed=2    unreachable=0    failed=1    skipped=0    rescued=0    ignored=1
      node-3                     : ok=0    changed=0    unreachable=0    failed=1    skipped=1    rescued=0    ignored=0
      """;

  static List<AnsibleEvent> parse(AnsibleOutput parser) {
    List<AnsibleEvent> events = new ArrayList<>();
    OUTPUT.lines().forEach(l -> parser.accept(l).ifPresent(events::add));
    return events;
  }

  @Test
  void recognisesPlaysTasksResultsAndTheRecapInOrder() {
    List<AnsibleEvent> events = parse(new AnsibleOutput(10));

    assertThat(events)
        .startsWith(
            new AnsibleEvent.PlayStarted(1, "Install Kubernetes"),
            new AnsibleEvent.TaskStarted(
                1, "Install Kubernetes", "kubernetes/preinstall : Create directories"),
            new HostResult(
                "kubernetes/preinstall : Create directories",
                "node-1",
                Optional.empty(),
                Status.OK,
                ""));
    assertThat(events)
        .contains(
            new HostResult(
                "Join the node", "node-2", Optional.of("master-1(10.0.0.10)"), Status.CHANGED, ""),
            new HostResult(
                "Join the node",
                "node-3",
                Optional.empty(),
                Status.FAILED,
                "stand-in failure on \"node-3\"\nsecond line"),
            new AnsibleEvent.TaskStarted(4, "Install Kubernetes", "restart kubelet"),
            new AnsibleEvent.Recap("node-2", new Counts(3, 2, 0, 1, 0, 1)));
    assertThat(events.get(events.size() - 1))
        .isEqualTo(new AnsibleEvent.Recap("node-3", new Counts(0, 0, 0, 1, 1, 0)));
  }

  @Test
  void keepsFailuresWithTheirMessagesButNotIgnoredOnes() {
    AnsibleOutput parser = new AnsibleOutput(10);
    parse(parser);

    assertThat(parser.failures())
        .extracting(HostResult::task, HostResult::host, HostResult::status)
        .containsExactly(
            tuple("Join the node", "node-3", Status.FAILED),
            tuple("Join the node", "node-1", Status.UNREACHABLE),
            tuple("restart kubelet", "node-2", Status.FAILED));
    assertThat(parser.failures().get(1).message())
        .isEqualTo("Failed to connect to the host via ssh: Host key verification failed.");
    assertThat(parser.failures().get(2).message()).isEqualTo("loop failed");
  }

  @Test
  void countsResultsLikeTheRecap() {
    AnsibleOutput parser = new AnsibleOutput(10);
    parse(parser);

    assertThat(parser.counts()).isEqualTo(parser.recap());
  }

  @Test
  void keepsTheLastLines() {
    AnsibleOutput parser = new AnsibleOutput(3);
    parse(parser);

    List<String> tail = parser.tail().lines().toList();
    assertThat(tail).hasSize(3);
    assertThat(tail.get(2)).startsWith("node-3");
  }

  @Test
  void failureReportNamesTheFirstFailedTaskAndItsHosts() {
    AnsibleOutput parser = new AnsibleOutput(10);
    parse(parser);

    var error = PlaybookRunner.failure("cluster.yml failed with exit code 2", 2, parser);

    assertThat(error.exitCode()).isEqualTo(2);
    assertThat(error.failedTask()).isEqualTo("Join the node");
    assertThat(error.failedHosts()).containsExactly("node-3", "node-1");
    assertThat(error.getMessage())
        .startsWith(
            "cluster.yml failed with exit code 2: task 'Join the node' failed on node-3, node-1")
        .contains("Host key verification failed")
        .contains("also failed: 'restart kubelet' on node-2");
    assertThat(error.logTail()).contains("PLAY RECAP");
  }
}
