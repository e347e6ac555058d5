package com.example.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubespray inventory the SDK wrote ({@code ansible/inventory/hosts.yaml} under the cluster
 * directory), read by indentation: the consumer has no YAML library of its own, and this file's
 * layout is Ansible's plain one ({@code all: hosts: / children: <group>: hosts: <node>:}).
 */
final class Inventory {
  private final List<String> lines;

  private Inventory(List<String> lines) {
    this.lines = lines;
  }

  static Inventory read(Path clusterDirectory) throws IOException {
    return new Inventory(
        Files.readAllLines(clusterDirectory.resolve("ansible/inventory/hosts.yaml")));
  }

  /** The hosts of a group, in file order. */
  List<String> group(String name) {
    int at = indexOf(name + ":", 0);
    int groupIndent = indent(lines.get(at));
    int hostsAt = indexOf("hosts:", at + 1);
    if (indent(lines.get(hostsAt)) <= groupIndent) {
      throw new AssertionError("group " + name + " has no hosts: " + lines);
    }
    int hostIndent = -1;
    List<String> hosts = new ArrayList<>();
    for (String line : lines.subList(hostsAt + 1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      int indent = indent(line);
      if (indent <= indent(lines.get(hostsAt))) {
        break;
      }
      if (hostIndent < 0) {
        hostIndent = indent;
      }
      if (indent == hostIndent) {
        hosts.add(line.trim().replaceAll(":$", ""));
      }
    }
    return hosts;
  }

  /** A host's {@code ansible_host}, from {@code all.hosts}. */
  String ansibleHost(String host) {
    int at = indexOf(host + ":", 0);
    String key = "ansible_host:";
    for (String line : lines.subList(at + 1, lines.size())) {
      if (indent(line) <= indent(lines.get(at))) {
        break;
      }
      if (line.trim().startsWith(key)) {
        return line.trim().substring(key.length()).replace("\"", "").trim();
      }
    }
    throw new AssertionError("host " + host + " has no ansible_host");
  }

  private int indexOf(String trimmed, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(trimmed)) {
        return i;
      }
    }
    throw new AssertionError("no '" + trimmed + "' in the inventory:\n" + String.join("\n", lines));
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }
}
