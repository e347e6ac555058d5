package io.kubitect.kubespray.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;

/** The YAML writer: what it writes reads back as the same values. */
class YamlTest {
  @Test
  void roundTripsThroughAYamlParser() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("list", List.of("a", 1, true, List.of("x"), Map.of("k", "v"), Map.of()));
    nested.put("empty", List.of());
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("yes", "no");
    root.put("version", "1.30");
    root.put("weird key: #", "line\nbreak \"quoted\" \\ tab\t");
    root.put("null", null);
    root.put("nested", nested);
    root.put("double", 1.5);

    String text = Yaml.write(root);
    Object parsed =
        new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions())).load(text);

    assertThat(parsed).isEqualTo(root);
  }

  @Test
  void writesUnsafeTextWithAnsiblesUnsafeTag() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("probe", new Yaml.Unsafe("{{ lookup('pipe', 'id') }}"));
    root.put(
        "list", List.of(new Yaml.Unsafe("a\n\"b\""), 1, Map.of("k", new Yaml.Unsafe("{% x %}"))));

    String text = Yaml.write(root);

    assertThat(text)
        .isEqualTo(
            """
            ---
            probe: !unsafe "{{ lookup('pipe', 'id') }}"
            list:
              - !unsafe "a\\n\\"b\\""
              - 1
              - k: !unsafe "{% x %}"
            """);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("probe", "{{ lookup('pipe', 'id') }}");
    expected.put("list", List.of("a\n\"b\"", 1, Map.of("k", "{% x %}")));
    assertThat(new org.yaml.snakeyaml.Yaml(new UnsafeAsText()).<Object>load(text))
        .isEqualTo(expected);
  }

  /** Reads {@code !unsafe} as plain text, the way Ansible's loader reads it (as marked text). */
  private static final class UnsafeAsText extends SafeConstructor {
    UnsafeAsText() {
      super(new LoaderOptions());
      yamlConstructors.put(new Tag("!unsafe"), new ConstructYamlStr());
    }
  }
}
