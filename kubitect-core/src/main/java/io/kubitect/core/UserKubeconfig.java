package io.kubitect.core;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges a cluster's kubeconfig into the user's ({@code ~/.kube/config}) and takes it out again, in
 * Java: the entries of the cluster's {@code clusters}, {@code contexts} and {@code users} replace
 * the user's entries of the same names (in place) or are appended; every other entry and key stays.
 * The user's {@code current-context} is set only when it has none, and cleared on removal only when
 * it names a removed context. Text that is not a kubeconfig is refused with a one-line {@link
 * UserFile.Unusable}, never overwritten.
 */
final class UserKubeconfig {
  /** The three lists of named entries, with the key of each entry's body. */
  static final List<String> SECTIONS = List.of("clusters", "contexts", "users");

  private static final YAMLMapper MAPPER =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(64)
                          .maxDocumentLength(UserFile.MAX_BYTES)
                          .build())
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .disable(YAMLGenerator.Feature.SPLIT_LINES)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .build())
          .build();

  private UserKubeconfig() {}

  /** The names of a kubeconfig's entries, per section, in order. */
  record Names(Map<String, List<String>> bySection) {
    Names {
      Map<String, List<String>> copy = new LinkedHashMap<>();
      bySection.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      bySection = java.util.Collections.unmodifiableMap(copy);
    }

    List<String> of(String section) {
      return bySection.getOrDefault(section, List.of());
    }

    boolean isEmpty() {
      return bySection.values().stream().allMatch(List::isEmpty);
    }

    /** One line per entry, {@code section=name}: the record the cluster directory keeps. */
    String toRecord() {
      StringBuilder text = new StringBuilder();
      bySection.forEach(
          (section, names) ->
              names.forEach(n -> text.append(section).append('=').append(n).append('\n')));
      return text.toString();
    }

    /** What {@link #toRecord()} wrote; lines of other sections or without {@code =} are ignored. */
    static Names fromRecord(String record) {
      Map<String, List<String>> names = new LinkedHashMap<>();
      for (String line : record.split("\n", -1)) {
        int eq = line.indexOf('=');
        if (eq > 0 && SECTIONS.contains(line.substring(0, eq))) {
          names
              .computeIfAbsent(line.substring(0, eq), s -> new ArrayList<>())
              .add(line.substring(eq + 1));
        }
      }
      return new Names(names);
    }
  }

  /**
   * The names of the cluster's own kubeconfig, checked: each a non-empty line of printable text.
   *
   * @throws UserFile.Unusable when it is not a kubeconfig
   */
  static Names names(String clusterKubeconfig, String source) {
    ObjectNode config = parse(clusterKubeconfig, source);
    Map<String, List<String>> names = new LinkedHashMap<>();
    for (String section : SECTIONS) {
      List<String> list = new ArrayList<>();
      for (JsonNode entry : entries(config, section, source)) {
        String name = entry.path("name").asText("");
        if (name.isEmpty() || name.codePoints().anyMatch(c -> Character.isISOControl(c))) {
          throw new UserFile.Unusable(source + ": an entry of " + section + " has no usable name");
        }
        list.add(name);
      }
      names.put(section, list);
    }
    return new Names(names);
  }

  /**
   * The user's kubeconfig text with the cluster's entries merged in.
   *
   * @throws UserFile.Unusable when either text is not a kubeconfig
   */
  static String merge(
      String userText, String clusterKubeconfig, String userSource, String clusterSource) {
    ObjectNode cluster = parse(clusterKubeconfig, clusterSource);
    ObjectNode user =
        userText.isBlank() || isOnlyComments(userText) ? newConfig() : parse(userText, userSource);
    for (String section : SECTIONS) {
      ArrayNode target = entries(user, section, userSource);
      for (JsonNode entry : entries(cluster, section, clusterSource)) {
        String name = entry.path("name").asText("");
        int at = indexOf(target, name);
        if (at >= 0) {
          target.set(at, entry.deepCopy());
        } else {
          target.add(entry.deepCopy());
        }
      }
    }
    String current = user.path("current-context").asText("");
    String clusterCurrent = cluster.path("current-context").asText("");
    if (current.isEmpty() && !clusterCurrent.isEmpty()) {
      user.put("current-context", clusterCurrent);
    }
    return write(user);
  }

  /**
   * The user's kubeconfig text without the entries {@code names} lists; the text unchanged when it
   * has none of them.
   *
   * @throws UserFile.Unusable when the text is not a kubeconfig
   */
  static String remove(String userText, Names names, String userSource) {
    if (userText.isBlank() || isOnlyComments(userText)) {
      return userText;
    }
    ObjectNode user = parse(userText, userSource);
    boolean changed = false;
    for (String section : SECTIONS) {
      if (!user.has(section) || user.get(section).isNull()) {
        continue;
      }
      ArrayNode target = entries(user, section, userSource);
      Set<String> doomed = new LinkedHashSet<>(names.of(section));
      for (int i = target.size() - 1; i >= 0; i--) {
        if (doomed.contains(target.get(i).path("name").asText(""))) {
          target.remove(i);
          changed = true;
        }
      }
    }
    if (names.of("contexts").contains(user.path("current-context").asText(""))) {
      user.put("current-context", "");
      changed = true;
    }
    return changed ? write(user) : userText;
  }

  private static ObjectNode newConfig() {
    ObjectNode config = MAPPER.createObjectNode();
    config.put("apiVersion", "v1");
    config.put("kind", "Config");
    config.putObject("preferences");
    return config;
  }

  private static boolean isOnlyComments(String text) {
    return text.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
  }

  /** A kubeconfig: one YAML mapping, no aliases, no duplicate keys. */
  private static ObjectNode parse(String text, String source) {
    try {
      try (JsonParser scan = MAPPER.createParser(text)) {
        while (scan.nextToken() != null) {
          if (scan instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            throw new UserFile.Unusable(
                source + " uses a YAML alias (*name); it was left as it was");
          }
        }
      }
      JsonNode root = MAPPER.readTree(text);
      if (!(root instanceof ObjectNode config)) {
        throw new UserFile.Unusable(source + " is not a kubeconfig (not a YAML mapping)");
      }
      return config;
    } catch (JsonProcessingException e) {
      throw new UserFile.Unusable(
          source
              + " cannot be parsed as YAML ("
              + ClusterDirectory.oneLine(e.getOriginalMessage())
              + ")");
    } catch (IOException e) {
      throw new UserFile.Unusable(source + " cannot be read: " + ClusterDirectory.describe(e));
    }
  }

  /**
   * The section's list (created when absent or null); refused when it is not a list of mappings.
   */
  private static ArrayNode entries(ObjectNode config, String section, String source) {
    JsonNode node = config.get(section);
    if (node == null || node.isNull()) {
      return config.putArray(section);
    }
    if (!(node instanceof ArrayNode list)) {
      throw new UserFile.Unusable(source + ": " + section + " is not a list");
    }
    for (JsonNode entry : list) {
      if (!entry.isObject() || !entry.path("name").isTextual()) {
        throw new UserFile.Unusable(source + ": " + section + " has an entry without a name");
      }
    }
    return list;
  }

  private static int indexOf(ArrayNode list, String name) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).path("name").asText("").equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String write(ObjectNode config) {
    try {
      return MAPPER.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a kubeconfig tree", e);
    }
  }
}
