package io.kubitect.core.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubitect.core.testing.Environment;
import io.kubitect.core.testing.Local;
import io.kubitect.model.ClusterSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered haproxy.cfg and keepalived.conf against golden files, and each golden file checked
 * by the real {@code haproxy -c} and {@code keepalived -t}. Regenerate the golden files with {@code
 * -Dgolden.update=true} and review the diff.
 */
class LoadBalancerConfigsTest {
  @TempDir Path dir;

  static final LoadBalancerTuning TUNING = LoadBalancerTuning.defaults();

  static ClusterSpec haCluster() {
    Map<String, Integer> lbs = new LinkedHashMap<>();
    lbs.put("10.10.13.201", 110);
    lbs.put("10.10.13.202", 100);
    return LabSpecs.spec(
        "10.10.0.0/20",
        Optional.of("10.10.13.200"),
        lbs,
        List.of("10.10.13.10", "10.10.13.11", "10.10.13.12"),
        List.of("10.10.13.20", "10.10.13.21"),
        List.of(
            LabSpecs.port("http", 80, Optional.empty(), "WORKERS"),
            LabSpecs.port("https", 443, Optional.of(30443), "ALL"),
            LabSpecs.port("metrics", 9100, Optional.empty(), "MASTERS")));
  }

  static ClusterSpec noWorkers() {
    return LabSpecs.spec(
        "10.10.0.0/20",
        Optional.of("10.10.13.200"),
        Map.of("10.10.13.201", 10),
        List.of("10.10.13.10"),
        List.of(),
        List.of(LabSpecs.port("http", 80, Optional.empty(), "WORKERS")));
  }

  @Test
  void haproxyMatchesGoldenFile() throws IOException {
    golden("haproxy.cfg", HaproxyConfig.render(LabSpecs.layout(haCluster()), TUNING));
  }

  @Test
  void keepalivedMatchesGoldenFilePerNode() throws IOException {
    LoadBalancerLayout layout = LabSpecs.layout(haCluster());
    golden(
        "keepalived-lb-1.conf",
        KeepalivedConfig.render(layout, layout.loadBalancers().get(0), "ens3", TUNING));
    golden(
        "keepalived-lb-2.conf",
        KeepalivedConfig.render(layout, layout.loadBalancers().get(1), "ens3", TUNING));
    golden("kubitect-check-haproxy.sh", KeepalivedConfig.checkScript(TUNING));
  }

  @Test
  void forwardedPortsGoToMastersWhenThereAreNoWorkers() throws IOException {
    LoadBalancerLayout layout = LabSpecs.layout(noWorkers());
    assertThat(layout.backends().get(1).servers())
        .extracting(LoadBalancerLayout.Server::name)
        .containsExactly("k8s-master-1");
    golden("haproxy-no-workers.cfg", HaproxyConfig.render(layout, TUNING));
  }

  @Test
  void forwardTargetsSelectWorkersMastersOrAll() {
    LoadBalancerLayout layout = LabSpecs.layout(haCluster());
    assertThat(layout.backends())
        .extracting(b -> b.name() + ":" + b.servers().size())
        .containsExactly("kubernetes:3", "http:2", "https:5", "metrics:3");
    assertThat(layout.backends().get(2).servers()).allMatch(s -> s.port() == 30443);
  }

  @Test
  void noKeepalivedWithOneLoadBalancerAndNoVip() {
    ClusterSpec single =
        LabSpecs.spec(
            "10.10.0.0/20",
            Optional.empty(),
            Map.of("10.10.13.201", 10),
            List.of("10.10.13.10"),
            List.of(),
            List.of());
    assertThat(LabSpecs.layout(single).usesKeepalived()).isFalse();
    ClusterSpec vipIsTheLb =
        LabSpecs.spec(
            "10.10.0.0/20",
            Optional.of("10.10.13.201"),
            Map.of("10.10.13.201", 10),
            List.of("10.10.13.10"),
            List.of(),
            List.of());
    assertThat(LabSpecs.layout(vipIsTheLb).usesKeepalived()).isFalse();
    assertThat(LabSpecs.layout(noWorkers()).usesKeepalived()).isTrue();
  }

  @Test
  void trackWeightIsLargerThanThePrioritySpread() {
    Map<String, Integer> lbs = new LinkedHashMap<>();
    lbs.put("10.10.13.201", 200);
    lbs.put("10.10.13.202", 150);
    lbs.put("10.10.13.203", 100);
    LoadBalancerLayout layout =
        LabSpecs.layout(
            LabSpecs.spec(
                "10.10.0.0/20",
                Optional.of("10.10.13.200"),
                lbs,
                List.of("10.10.13.10"),
                List.of(),
                List.of()));
    int weight = KeepalivedConfig.trackWeight(layout);
    assertThat(weight).isEqualTo(101);
    // the healthiest-looking failed node is below the weakest healthy one
    assertThat(200 - weight).isLessThan(100);
    assertThat(KeepalivedConfig.render(layout, layout.loadBalancers().get(0), "eth0", TUNING))
        .contains("weight -101");
  }

  @Test
  void timingsAreRenderedInEachToolsUnits() {
    LoadBalancerTuning tuning =
        TUNING
            .withApiCheck(Duration.ofMillis(500), 3, 1)
            .withAdvertInterval(Duration.ofMillis(100))
            .withHaproxyCheck(Duration.ofSeconds(2), 3, 4);
    LoadBalancerLayout layout = LabSpecs.layout(haCluster());
    assertThat(HaproxyConfig.render(layout, tuning))
        .contains("inter 500ms fastinter 250ms fall 3 rise 1");
    String keepalived = KeepalivedConfig.render(layout, layout.loadBalancers().get(0), "e", tuning);
    assertThat(keepalived).contains("advert_int 0.1\n").contains("interval 2\n");
    assertThat(keepalived).contains("fall 3\n").contains("rise 4\n");
  }

  @Test
  void goldenHaproxyConfigsPassTheRealHaproxyCheck() throws IOException {
    Environment.requireCommands("haproxy");
    for (String name : List.of("haproxy.cfg", "haproxy-no-workers.cfg")) {
      Path file = dir.resolve(name);
      Files.writeString(file, resource(name));
      Local.Result result = Local.exec(haproxy(), "-c", "-f", file.toString());
      assertThat(result.exitCode()).as(name + ": " + result.output()).isZero();
    }
  }

  @Test
  void goldenKeepalivedConfigsPassTheRealKeepalivedCheck() throws IOException {
    Environment.requireCommands("keepalived");
    Environment.requireRoot();
    for (String name : List.of("keepalived-lb-1.conf", "keepalived-lb-2.conf")) {
      assertKeepalivedAccepts(dir, name, resource(name), resource("kubitect-check-haproxy.sh"));
    }
  }

  @Test
  void kubitectStyleConfigsOfTheBenchmarkAreValidToo() throws IOException {
    Environment.requireCommands("haproxy", "keepalived");
    Environment.requireRoot();
    LoadBalancerLayout layout = LabSpecs.layout(haCluster());
    Path file = dir.resolve("kubitect-haproxy.cfg");
    Files.writeString(file, KubitectStyleConfigs.haproxy(layout));
    Local.Result result = Local.exec(haproxy(), "-c", "-f", file.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertKeepalivedAccepts(
        dir,
        "kubitect-keepalived.conf",
        KubitectStyleConfigs.keepalived(layout, layout.loadBalancers().get(0), "ens3"),
        "");
  }

  /**
   * Runs {@code keepalived -t} on {@code config} in a throwaway network namespace that has the
   * interface the config names (a veth), with the check script copied to a root-only directory
   * (script security refuses scripts in world-writable paths) and its path rewritten.
   */
  static void assertKeepalivedAccepts(Path dir, String name, String config, String script)
      throws IOException {
    Local.Result result = keepalivedCheck(dir, name, config, script);
    assertThat(result.exitCode()).as(name + ": " + result.output()).isZero();
    assertThat(result.output()).as(name).doesNotContainIgnoringCase("warning");
  }

  /** {@code keepalived -t} on {@code config} as {@link #assertKeepalivedAccepts} runs it. */
  static Local.Result keepalivedCheck(Path dir, String name, String config, String script)
      throws IOException {
    java.util.regex.Matcher iface =
        java.util.regex.Pattern.compile("interface (\\S+)").matcher(config);
    if (!iface.find()) {
      throw new AssertionError(name + " names no interface");
    }
    String netns = "kt-katest-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
    Path scripts = Files.createTempDirectory("kubitect-ka-");
    try {
      Local.run("ip", "netns", "add", netns);
      Local.run(
          "ip",
          "-n",
          netns,
          "link",
          "add",
          iface.group(1),
          "type",
          "veth",
          "peer",
          "name",
          "peer0");
      Local.run("ip", "-n", netns, "link", "set", iface.group(1), "up");
      Files.setPosixFilePermissions(scripts, PosixFilePermissions.fromString("rwx------"));
      Path scriptFile = scripts.resolve("check.sh");
      Files.writeString(scriptFile, script);
      Files.setPosixFilePermissions(scriptFile, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path file = dir.resolve(name);
      Files.writeString(
          file, config.replace(KeepalivedConfig.CHECK_SCRIPT_PATH, scriptFile.toString()));
      return Local.exec("ip", "netns", "exec", netns, "keepalived", "-t", "-f", file.toString());
    } finally {
      Local.exec("ip", "netns", "del", netns);
      Local.exec("rm", "-rf", scripts.toString());
    }
  }

  static String haproxy() {
    return "haproxy";
  }

  static String resource(String name) throws IOException {
    try (InputStream in =
        LoadBalancerConfigsTest.class.getResourceAsStream("/loadbalancer/" + name)) {
      if (in == null) {
        throw new IOException("missing golden file /loadbalancer/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static void golden(String name, String actual) throws IOException {
    if (Boolean.getBoolean("golden.update")) {
      Path source = Path.of("src/test/resources/loadbalancer").resolve(name);
      Files.createDirectories(source.getParent());
      Files.writeString(source, actual);
      return;
    }
    assertThat(actual).as("golden file " + name).isEqualTo(resource(name));
  }
}
