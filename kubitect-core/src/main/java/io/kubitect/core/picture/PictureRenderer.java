package io.kubitect.core.picture;

import io.kubitect.core.NodeRole;
import io.kubitect.core.spi.ClusterNetwork;
import io.kubitect.core.spi.HostLayout;
import io.kubitect.core.spi.LoadBalancerSettings;
import io.kubitect.core.spi.Node;
import io.kubitect.core.spi.Topology;
import io.kubitect.model.Connection;
import io.kubitect.model.ConnectionType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Lays a resolved topology out and draws it. Top to bottom: title and summary, the network panel,
 * the API-endpoint panel (virtual IP and load balancers), the failure-domain panel, the hosts as a
 * grid of boxes (at most {@value #MAX_COLUMNS} a row, in specification order) with their VMs, and a
 * legend. Every coordinate is an integer computed from counts alone, so the output depends on
 * nothing but the topology.
 */
final class PictureRenderer {
  static final int MAX_COLUMNS = 4;
  static final int MARGIN = 24;
  static final int MIN_WIDTH = 720;
  static final int HOST_WIDTH = 300;
  static final int HOST_GAP = 20;
  static final int HOST_PAD = 12;
  static final int VM_WIDTH = HOST_WIDTH - 2 * HOST_PAD;
  static final int VM_GAP = 8;
  static final int VM_LINE = 15;
  static final int VM_TEXT_INSET = 14;
  static final int HOST_HEADER = 74;
  static final int HOST_WARNING_ROW = 24;
  static final int MAX_DISK_LINES = 4;

  /** Tooltips and the description carry whole texts, but not unbounded ones. */
  static final int MAX_TOOLTIP_COLUMNS = 240;

  private static final int TITLE_SIZE = 20;
  private static final int BODY_SIZE = 11;
  private static final int NAME_SIZE = 12;
  private static final int HOST_NAME_SIZE = 14;
  private static final int PANEL_LINE = 16;

  private final Topology topology;
  private final List<String> hosts;
  private final List<FailureWarning> warnings;
  private final int columns;
  private final int rows;
  private final int width;
  private final int contentWidth;

  PictureRenderer(Topology topology) {
    this.topology = topology;
    this.hosts = hostNames(topology);
    this.warnings = FailureDomains.of(topology, hosts);
    int count = Math.max(1, hosts.size());
    this.rows = (count + MAX_COLUMNS - 1) / MAX_COLUMNS;
    this.columns = (count + rows - 1) / rows;
    int gridWidth = columns * HOST_WIDTH + (columns - 1) * HOST_GAP;
    this.width = Math.max(MIN_WIDTH, gridWidth + 2 * MARGIN);
    this.contentWidth = width - 2 * MARGIN;
  }

  /** The hosts in specification order, then any host only a node names (never, once validated). */
  private static List<String> hostNames(Topology topology) {
    Set<String> names = new LinkedHashSet<>();
    topology.hostLayouts().forEach(h -> names.add(h.name()));
    topology.nodes().forEach(n -> names.add(n.host()));
    return List.copyOf(names);
  }

  List<FailureWarning> warnings() {
    return warnings;
  }

  String render() {
    List<HostBox> boxes = new ArrayList<>();
    for (String host : hosts) {
      boxes.add(hostBox(host));
    }
    int y = MARGIN + 40;
    int networkY = y + 14;
    int networkHeight = panelHeight(1);
    int endpointY = networkY + networkHeight + 12;
    EndpointPanel endpoint = endpointPanel();
    int domainsY = endpointY + endpoint.height() + 12;
    int domainsHeight = panelHeight(Math.max(1, warnings.size()));
    int gridY = domainsY + domainsHeight + 20;
    int[] rowHeights = new int[rows];
    for (int i = 0; i < boxes.size(); i++) {
      int row = i / columns;
      rowHeights[row] = Math.max(rowHeights[row], boxes.get(i).height());
    }
    int gridHeight = (rows - 1) * HOST_GAP;
    for (int h : rowHeights) {
      gridHeight += h;
    }
    int legendY = gridY + gridHeight + 16;
    int height = legendY + 20 + MARGIN;

    Svg svg = new Svg(width, height, title(), description());
    drawHeader(svg);
    drawNetwork(svg, networkY, networkHeight);
    drawEndpoint(svg, endpointY, endpoint);
    drawFailureDomains(svg, domainsY, domainsHeight);
    int gridWidth = columns * HOST_WIDTH + (columns - 1) * HOST_GAP;
    int gridX = (width - gridWidth) / 2;
    int rowY = gridY;
    for (int i = 0; i < boxes.size(); i++) {
      int row = i / columns;
      int column = i % columns;
      if (column == 0 && row > 0) {
        rowY += rowHeights[row - 1] + HOST_GAP;
      }
      drawHost(svg, boxes.get(i), gridX + column * (HOST_WIDTH + HOST_GAP), rowY, rowHeights[row]);
    }
    drawLegend(svg, legendY);
    return svg.finish();
  }

  // ---------------------------------------------------------------- header and panels

  private String title() {
    return "Topology of cluster " + Texts.fit(topology.clusterName(), MAX_TOOLTIP_COLUMNS);
  }

  private String description() {
    StringBuilder text = new StringBuilder(summary());
    for (FailureWarning warning : warnings) {
      text.append(". ").append(Texts.fit(warning.text(), MAX_TOOLTIP_COLUMNS));
    }
    if (warnings.isEmpty()) {
      text.append(". ").append(allClear());
    }
    return text.toString();
  }

  private String summary() {
    int lbs = topology.nodes(NodeRole.LOAD_BALANCER).size();
    int masters = topology.nodes(NodeRole.MASTER).size();
    int workers = topology.nodes(NodeRole.WORKER).size();
    return count(hosts.size(), "host", "hosts")
        + " \u00b7 "
        + count(topology.nodes().size(), "node", "nodes")
        + " ("
        + count(lbs, "load balancer", "load balancers")
        + ", "
        + count(masters, "master", "masters")
        + ", "
        + count(workers, "worker", "workers")
        + ") \u00b7 Kubernetes "
        + topology.kubernetes().version();
  }

  private void drawHeader(Svg svg) {
    int columnsForTitle = Texts.columnsFor(contentWidth, TITLE_SIZE);
    svg.text(
        MARGIN,
        MARGIN + 20,
        TITLE_SIZE,
        true,
        Palette.DARK,
        Texts.fit("Cluster " + topology.clusterName(), columnsForTitle));
    svg.text(
        MARGIN,
        MARGIN + 40,
        NAME_SIZE,
        false,
        Palette.MUTED,
        Texts.fit(summary(), Texts.columnsFor(contentWidth, NAME_SIZE)));
  }

  private static int panelHeight(int lines) {
    return 28 + PANEL_LINE * lines;
  }

  /** A panel's frame and label; its lines start at {@code y + 36}. */
  private void panel(Svg svg, int y, int height, Palette palette, String label) {
    svg.rect(MARGIN, y, contentWidth, height, 6, palette.tint, palette.strong, 1);
    svg.rect(MARGIN, y, 6, height, 0, palette.strong, null, 0);
    svg.text(MARGIN + 16, y + 18, BODY_SIZE, true, palette.ink, label);
  }

  private int panelColumns(int indent) {
    return Texts.columnsFor(contentWidth - indent - 12, BODY_SIZE);
  }

  private void drawNetwork(Svg svg, int y, int height) {
    ClusterNetwork network = topology.network();
    StringBuilder line =
        new StringBuilder("mode ")
            .append(network.mode())
            .append(" \u00b7 CIDR ")
            .append(network.cidr());
    if (network.bridged()) {
      network.bridge().ifPresent(b -> line.append(" \u00b7 host bridge ").append(b));
    }
    line.append(" \u00b7 gateway ").append(network.gateway());
    line.append(" \u00b7 DNS ").append(String.join(", ", network.dns()));
    panel(svg, y, height, Palette.NETWORK, "NETWORK");
    svg.text(MARGIN + 16, y + 36, BODY_SIZE, false, Palette.DARK, fitPanel(line.toString(), 16));
  }

  private String fitPanel(String text, int indent) {
    return Texts.fit(text, panelColumns(indent));
  }

  /** What the endpoint panel lists: the load balancers, or the masters when there are none. */
  private record EndpointPanel(
      String pill, boolean vip, List<Node> targets, List<String> notes, int height) {}

  private EndpointPanel endpointPanel() {
    LoadBalancerSettings lb = topology.loadBalancing();
    List<Node> balancers = topology.nodes(NodeRole.LOAD_BALANCER);
    List<String> notes = new ArrayList<>();
    List<Node> targets;
    String pill;
    if (balancers.isEmpty()) {
      targets = topology.nodes(NodeRole.MASTER);
      pill = "no load balancer";
      notes.add("the API server is reached on the master itself");
    } else {
      targets = balancers;
      pill = lb.vip().map(v -> "VIP " + v).orElse("no VIP");
      if (lb.vip().isPresent()) {
        notes.add(
            "VRRP router "
                + lb.virtualRouterId()
                + ": the healthy load balancer with the highest priority holds the VIP");
      } else {
        notes.add("clients reach the load balancer's own address");
      }
      if (!lb.forwardPorts().isEmpty()) {
        List<String> ports = new ArrayList<>();
        for (LoadBalancerSettings.PortForward port : lb.forwardPorts()) {
          ports.add(
              port.name() + " " + port.port() + "\u2192" + port.targetPort() + " " + port.target());
        }
        notes.add("forwards " + String.join(", ", ports));
      }
    }
    int lines = Math.max(2, targets.size()) + notes.size();
    return new EndpointPanel(pill, lb.vip().isPresent(), targets, notes, panelHeight(lines));
  }

  private void drawEndpoint(Svg svg, int y, EndpointPanel endpoint) {
    boolean balanced = !topology.nodes(NodeRole.LOAD_BALANCER).isEmpty();
    Palette hue = balanced ? Palette.LOAD_BALANCER : Palette.MASTER;
    panel(svg, y, endpoint.height(), hue, "API ENDPOINT");
    int rowsHeight = Math.max(2, endpoint.targets().size()) * PANEL_LINE;
    int pillColumns = 22;
    String pillText = Texts.fit(endpoint.pill(), pillColumns);
    int pillWidth = Texts.widthPx(pillText, NAME_SIZE) + 20;
    int pillHeight = 24;
    int pillX = MARGIN + 16;
    int pillY = y + 24 + (rowsHeight - pillHeight) / 2;
    int pillMid = pillY + pillHeight / 2;
    svg.rect(
        pillX,
        pillY,
        pillWidth,
        pillHeight,
        12,
        endpoint.vip() ? hue.strong : Palette.HOST_FILL,
        hue.strong,
        1);
    svg.text(
        pillX + 10, pillY + 16, NAME_SIZE, true, endpoint.vip() ? "#ffffff" : hue.ink, pillText);
    int rowX = pillX + pillWidth + 40;
    int row = 0;
    for (Node target : endpoint.targets()) {
      int baseline = y + 36 + row * PANEL_LINE;
      int markerY = baseline - 9;
      svg.line(pillX + pillWidth, pillMid, rowX - 4, markerY + 5, hue.strong, 1);
      svg.rect(rowX, markerY, 10, 10, 0, hue.strong, null, 0);
      String text =
          target.name()
              + " on "
              + target.host()
              + " \u00b7 "
              + target.ip().orElse("DHCP")
              + (target.role() == NodeRole.LOAD_BALANCER && endpoint.vip()
                  ? " \u00b7 priority " + target.priority()
                  : "");
      svg.text(
          rowX + 16, baseline, BODY_SIZE, false, Palette.DARK, fitPanel(text, rowX + 16 - MARGIN));
      row++;
    }
    if (endpoint.targets().isEmpty()) {
      svg.text(rowX, y + 36, BODY_SIZE, false, Palette.MUTED, "no master");
    }
    int noteY = y + 24 + rowsHeight + 12;
    for (String note : endpoint.notes()) {
      svg.text(MARGIN + 16, noteY, BODY_SIZE, false, Palette.MUTED, fitPanel(note, 16));
      noteY += PANEL_LINE;
    }
  }

  private String allClear() {
    List<Node> masters = topology.nodes(NodeRole.MASTER);
    List<Node> balancers = topology.nodes(NodeRole.LOAD_BALANCER);
    String controlPlane =
        masters.isEmpty()
            ? "there is no master"
            : "the control plane ("
                + count(masters.size(), "master", "masters")
                + " on "
                + count(FailureDomains.countPerHost(masters).size(), "host", "hosts")
                + ")";
    String endpoint =
        balancers.isEmpty()
            ? ""
            : " and "
                + (topology.loadBalancing().vip().isPresent() ? "the VIP (" : "the endpoint (")
                + count(balancers.size(), "load balancer", "load balancers")
                + " on "
                + count(FailureDomains.countPerHost(balancers).size(), "host", "hosts")
                + ")";
    return masters.isEmpty()
        ? "No host holds a majority of the masters: " + controlPlane + "."
        : "Losing any one host keeps " + controlPlane + endpoint + " up.";
  }

  private void drawFailureDomains(Svg svg, int y, int height) {
    if (warnings.isEmpty()) {
      panel(svg, y, height, Palette.OK, "FAILURE DOMAINS");
      checkMark(svg, MARGIN + 16, y + 26);
      svg.text(MARGIN + 36, y + 36, BODY_SIZE, false, Palette.DARK, fitPanel(allClear(), 36));
      return;
    }
    panel(svg, y, height, Palette.WARNING, "FAILURE DOMAINS");
    int baseline = y + 36;
    for (FailureWarning warning : warnings) {
      warningMark(svg, MARGIN + 16, baseline - 11, 14);
      svg.text(
          MARGIN + 36,
          baseline,
          BODY_SIZE,
          false,
          Palette.WARNING.ink,
          fitPanel(warning.text(), 36));
      baseline += PANEL_LINE;
    }
  }

  /** A filled warning triangle with an exclamation mark, {@code size} wide, top-left at x, y. */
  private static void warningMark(Svg svg, int x, int y, int size) {
    svg.polygon(Palette.WARNING.strong, x + size / 2, y, x + size, y + size, x, y + size);
    int mid = x + size / 2;
    svg.line(mid, y + size * 4 / 10, mid, y + size * 7 / 10, "#ffffff", 2);
    svg.rect(mid - 1, y + size * 8 / 10, 2, 2, 0, "#ffffff", null, 0);
  }

  private static void checkMark(Svg svg, int x, int y) {
    svg.polyline(Palette.OK.strong, 3, x + 1, y + 7, x + 5, y + 11, x + 13, y + 1);
  }

  // ---------------------------------------------------------------- hosts

  /** One host's box: its header lines, warnings and VMs, with the height they need. */
  private record HostBox(
      String name,
      String connection,
      String pools,
      List<FailureWarning> warnings,
      List<VmBox> vms,
      int height) {}

  /** One VM's box: its role and lines of text (the first is the name). */
  private record VmBox(Node node, List<String> lines, int height) {}

  private HostBox hostBox(String host) {
    Optional<HostLayout> layout = topology.hostLayout(host);
    String connection = layout.map(h -> connection(h.connection())).orElse("not a configured host");
    String pools =
        layout
            .map(
                h -> {
                  List<String> names = new ArrayList<>();
                  names.add("main");
                  h.dataPools().forEach(p -> names.add(p.name()));
                  return "pools: " + String.join(", ", names);
                })
            .orElse("pools: unknown");
    List<FailureWarning> own = warnings.stream().filter(w -> w.host().equals(host)).toList();
    List<VmBox> vms = new ArrayList<>();
    int height = HOST_HEADER + own.size() * HOST_WARNING_ROW;
    List<Node> nodes = topology.nodesOn(host);
    if (nodes.isEmpty()) {
      height += 20;
    }
    for (Node node : nodes) {
      VmBox vm = vmBox(node);
      vms.add(vm);
      height += vm.height() + VM_GAP;
    }
    height += HOST_PAD - (nodes.isEmpty() ? 0 : VM_GAP);
    return new HostBox(host, connection, pools, own, vms, height);
  }

  private static String connection(Connection connection) {
    Optional<ConnectionType> type = connection.type();
    if (type.isEmpty()) {
      return "connection not set";
    }
    if (type.get() != ConnectionType.REMOTE) {
      return type.get().toString();
    }
    return "remote \u00b7 "
        + connection.user().map(u -> u + "@").orElse("")
        + connection.ip().orElse("no address");
  }

  private VmBox vmBox(Node node) {
    List<String> lines = new ArrayList<>();
    lines.add(node.name());
    lines.add(roleName(node.role()) + " \u00b7 " + node.ip().orElse("DHCP"));
    lines.add(
        node.cpu()
            + " vCPU \u00b7 "
            + node.ramGib()
            + " GiB RAM \u00b7 "
            + node.mainDiskGib()
            + " GiB disk");
    if (node.role() == NodeRole.LOAD_BALANCER && topology.loadBalancing().vip().isPresent()) {
      lines.add("VRRP priority " + node.priority());
    }
    List<Node.Disk> disks = node.dataDisks();
    int shown = disks.size() > MAX_DISK_LINES ? MAX_DISK_LINES - 1 : disks.size();
    for (int i = 0; i < shown; i++) {
      Node.Disk disk = disks.get(i);
      lines.add(
          "data disk " + disk.name() + " \u00b7 " + disk.sizeGib() + " GiB \u00b7 " + disk.pool());
    }
    if (shown < disks.size()) {
      lines.add("and " + (disks.size() - shown) + " more data disks");
    }
    return new VmBox(node, lines, VM_LINE * lines.size() + 11);
  }

  private static String roleName(NodeRole role) {
    return switch (role) {
      case LOAD_BALANCER -> "load balancer";
      case MASTER -> "master";
      case WORKER -> "worker";
    };
  }

  private void drawHost(Svg svg, HostBox box, int x, int y, int height) {
    boolean warned = !box.warnings().isEmpty();
    svg.group(
        "host "
            + Texts.fit(box.name(), MAX_TOOLTIP_COLUMNS)
            + " \u00b7 "
            + count(box.vms().size(), "node", "nodes"));
    svg.rect(
        x,
        y,
        HOST_WIDTH,
        height,
        8,
        Palette.HOST_FILL,
        warned ? Palette.WARNING.strong : Palette.HOST_STROKE,
        warned ? 2 : 1);
    int textX = x + HOST_PAD;
    int nameRoom = HOST_WIDTH - 2 * HOST_PAD - (warned ? 26 : 0);
    svg.text(
        textX,
        y + 22,
        HOST_NAME_SIZE,
        true,
        Palette.DARK,
        Texts.fit(box.name(), Texts.columnsFor(nameRoom, HOST_NAME_SIZE)));
    if (warned) {
      warningMark(svg, x + HOST_WIDTH - HOST_PAD - 18, y + 8, 18);
    }
    int room = Texts.columnsFor(VM_WIDTH, BODY_SIZE);
    svg.text(textX, y + 40, BODY_SIZE, false, Palette.MUTED, Texts.fit(box.connection(), room));
    svg.text(textX, y + 56, BODY_SIZE, false, Palette.MUTED, Texts.fit(box.pools(), room));
    svg.line(textX, y + 66, x + HOST_WIDTH - HOST_PAD, y + 66, Palette.RULE, 1);
    int top = y + HOST_HEADER;
    for (FailureWarning warning : box.warnings()) {
      svg.rect(textX, top, VM_WIDTH, 20, 4, Palette.WARNING.tint, Palette.WARNING.strong, 1);
      warningMark(svg, textX + 6, top + 3, 14);
      svg.text(
          textX + 26,
          top + 14,
          BODY_SIZE,
          true,
          Palette.WARNING.ink,
          Texts.fit(warning.mark(), Texts.columnsFor(VM_WIDTH - 32, BODY_SIZE)));
      top += HOST_WARNING_ROW;
    }
    if (box.vms().isEmpty()) {
      svg.text(textX, top + 14, BODY_SIZE, false, Palette.MUTED, "no nodes");
    }
    for (VmBox vm : box.vms()) {
      drawVm(svg, vm, textX, top);
      top += vm.height() + VM_GAP;
    }
    svg.end();
  }

  private static void drawVm(Svg svg, VmBox vm, int x, int y) {
    Palette hue = Palette.of(vm.node().role());
    svg.group(
        Texts.fit(vm.node().name(), MAX_TOOLTIP_COLUMNS)
            + " \u00b7 "
            + roleName(vm.node().role())
            + " on "
            + Texts.fit(vm.node().host(), MAX_TOOLTIP_COLUMNS));
    svg.rect(x, y, VM_WIDTH, vm.height(), 0, hue.tint, hue.strong, 1);
    svg.rect(x, y, 6, vm.height(), 0, hue.strong, null, 0);
    int textX = x + VM_TEXT_INSET;
    int room = VM_WIDTH - VM_TEXT_INSET - 8;
    int baseline = y + 17;
    List<String> lines = vm.lines();
    for (int i = 0; i < lines.size(); i++) {
      if (i == 0) {
        svg.text(
            textX,
            baseline,
            NAME_SIZE,
            true,
            Palette.DARK,
            Texts.fit(lines.get(i), Texts.columnsFor(room, NAME_SIZE)));
      } else {
        svg.text(
            textX,
            baseline,
            BODY_SIZE,
            i == 1,
            i == 1 ? hue.ink : Palette.DARK,
            Texts.fit(lines.get(i), Texts.columnsFor(room, BODY_SIZE)));
      }
      baseline += VM_LINE;
    }
    svg.end();
  }

  // ---------------------------------------------------------------- legend

  private void drawLegend(Svg svg, int y) {
    int x = MARGIN;
    for (NodeRole role : NodeRole.values()) {
      Palette hue = Palette.of(role);
      svg.rect(x, y + 2, 14, 14, 0, hue.tint, hue.strong, 1);
      svg.rect(x, y + 2, 4, 14, 0, hue.strong, null, 0);
      String label = roleName(role);
      svg.text(x + 20, y + 13, BODY_SIZE, false, Palette.DARK, label);
      x += 20 + Texts.widthPx(label, BODY_SIZE) + 20;
    }
    warningMark(svg, x, y + 2, 14);
    String label = "losing the host stops the control plane or the VIP";
    svg.text(
        x + 20,
        y + 13,
        BODY_SIZE,
        false,
        Palette.DARK,
        Texts.fit(label, Texts.columnsFor(width - MARGIN - x - 20, BODY_SIZE)));
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
