package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes Kubitect's YAML configuration format.
 *
 * <p>Reading is strict: an unknown key, a duplicate key, a value of the wrong type or malformed
 * YAML throws {@link SpecFormatException} with the path and line/column. Writing leaves out what is
 * unset, so {@code read(write(spec))} equals {@code spec}. Instances are thread-safe.
 */
public final class KubitectYaml {
  private static final ObjectMapper MAPPER = newMapper();

  private KubitectYaml() {}

  private static ObjectMapper newMapper() {
    YAMLFactory factory =
        YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();
    return YAMLMapper.builder(factory)
        .addModule(new Jdk8Module())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .defaultPropertyInclusion(JsonInclude.Value.construct(Include.NON_ABSENT, Include.ALWAYS))
        .build();
  }

  /**
   * Reads a configuration file.
   *
   * @throws SpecFormatException when the file is missing, empty or not a valid configuration
   */
  public static ClusterSpec read(Path file) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SpecFormatException(file.toString(), "", 0, 0, "file does not exist");
    } catch (IOException e) {
      throw new SpecFormatException(
          file.toString(), "", 0, 0, "cannot be read: " + describe(e.getMessage()));
    }
    return read(content, file.toString());
  }

  /**
   * Reads a configuration from text; {@code source} names it in error messages.
   *
   * @throws SpecFormatException when the text is empty or not a valid configuration
   */
  public static ClusterSpec read(String yaml, String source) {
    if (yaml.isBlank()) {
      throw new SpecFormatException(source, "", 0, 0, "the configuration is empty");
    }
    try (JsonParser parser = MAPPER.createParser(yaml)) {
      ClusterSpec spec = MAPPER.readValue(parser, ClusterSpec.class);
      if (spec == null) {
        throw new SpecFormatException(source, "", 0, 0, "the configuration is empty");
      }
      if (parser.nextToken() != null) {
        JsonLocation at = parser.currentLocation();
        throw new SpecFormatException(
            source,
            "",
            at.getLineNr(),
            at.getColumnNr(),
            "more than one YAML document; a configuration is a single document");
      }
      return spec;
    } catch (JsonMappingException e) {
      throw translate(source, e);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new SpecFormatException(
          source,
          "",
          at == null ? 0 : at.getLineNr(),
          at == null ? 0 : at.getColumnNr(),
          "malformed YAML: " + describe(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // Jackson wraps the builder's null checks and YAML engine failures in runtime exceptions.
      throw new SpecFormatException(
          source, "", 0, 0, "not a valid configuration: " + describe(e.getMessage()));
    }
  }

  /** Writes a specification as Kubitect YAML, leaving out unset values. */
  public static String write(ClusterSpec spec) {
    JsonNode tree = MAPPER.valueToTree(spec);
    prune(tree);
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a specification tree", e);
    }
  }

  /** Removes empty mappings and lists, so unset sections do not show up as {@code {}}. */
  private static boolean prune(JsonNode node) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
      while (fields.hasNext()) {
        if (prune(fields.next().getValue())) {
          fields.remove();
        }
      }
      return node.isEmpty();
    }
    if (node.isArray()) {
      node.forEach(KubitectYaml::prune);
      return node.isEmpty();
    }
    return false;
  }

  private static SpecFormatException translate(String source, JsonMappingException e) {
    String path = path(e.getPath());
    JsonLocation at = e.getLocation();
    int line = at == null ? 0 : at.getLineNr();
    int column = at == null ? 0 : at.getColumnNr();
    return new SpecFormatException(source, path, line, column, problem(e));
  }

  private static String problem(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      List<String> known = new ArrayList<>();
      for (Object id : unknown.getKnownPropertyIds()) {
        known.add(String.valueOf(id));
      }
      return "unknown key '"
          + unknown.getPropertyName()
          + "'; allowed keys here: "
          + String.join(", ", known);
    }
    if (e instanceof InvalidFormatException invalid) {
      Class<?> target = invalid.getTargetType();
      String value = String.valueOf(invalid.getValue());
      if (target != null && target.isEnum()) {
        return "'"
            + value
            + "' is not allowed; use one of: "
            + Arrays.stream(target.getEnumConstants())
                .map(String::valueOf)
                .collect(Collectors.joining(", "));
      }
      return "'" + value + "' is not " + typeName(target);
    }
    if (e instanceof MismatchedInputException mismatch) {
      return "expected " + typeName(mismatch.getTargetType()) + " here";
    }
    return describe(e.getOriginalMessage());
  }

  private static String typeName(@Nullable Class<?> type) {
    if (type == null) {
      return "a value of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || ObjectNode.class.isAssignableFrom(type)) {
      return "a mapping";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
    }
    String name = type.getSimpleName();
    if (name.startsWith("Immutable")) {
      name = name.substring("Immutable".length());
    } else if ("Json".equals(name) && type.getEnclosingClass() != null) {
      name = type.getEnclosingClass().getSimpleName().substring("Immutable".length());
    }
    return "a mapping (" + name.toLowerCase(Locale.ROOT) + " section)";
  }

  /** Formats a Jackson reference path as {@code a.b[1].c}. */
  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      }
    }
    return path.toString();
  }

  private static String describe(@Nullable String message) {
    if (message == null) {
      return "unknown problem";
    }
    // Jackson appends source snippets after a newline; the first line is what matters.
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }
}
