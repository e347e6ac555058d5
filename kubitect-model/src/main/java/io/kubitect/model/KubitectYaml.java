package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads and writes Kubitect's YAML configuration format.
 *
 * <p>Reading is strict: an unknown key, a duplicate key, a value of the wrong type, malformed YAML,
 * an alias ({@code *name}) or a second document throws {@link SpecFormatException} with the path
 * and line/column. A key without a value ({@code name:} or {@code name: ~}) counts as absent.
 * Writing leaves out what is unset, so {@code read(write(spec))} equals {@code spec}. Instances are
 * thread-safe.
 */
public final class KubitectYaml {
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // The builder does not start from the parser's defaults: `key:` must read as null.
          .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          // A text that looks like a number stays text when read back ("128", a MAC address).
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .stringQuotingChecker(new QuoteYaml11Numbers())
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();
  // Without duplicate detection: the first pass reports duplicates with their path itself.
  private static final YAMLFactory SCAN_FACTORY =
      YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();
  private static final ObjectMapper MAPPER = newMapper();

  private KubitectYaml() {}

  private static ObjectMapper newMapper() {
    return YAMLMapper.builder(FACTORY)
        .addModule(new Jdk8Module())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        // Numbers and booleans must be written as such: "4" is not a cpu count, 1 is not true.
        .withCoercionConfig(
            LogicalType.Integer,
            c ->
                c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .withCoercionConfig(
            LogicalType.Boolean,
            c ->
                c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
        .withCoercionConfig(
            LogicalType.Enum,
            c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
        // As in Kubitect (Go's zero values): a key without a value is absent, and a label
        // without a value is the empty string.
        .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.SKIP))
        .withConfigOverride(
            Map.class, o -> o.setSetterInfo(JsonSetter.Value.construct(Nulls.SKIP, Nulls.AS_EMPTY)))
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
    // First pass: YAML syntax, duplicate keys, aliases, documents; remembers where each key is.
    Locations locations = Locations.scan(yaml, source);
    try (JsonParser parser = MAPPER.createParser(yaml)) {
      ClusterSpec spec = MAPPER.readValue(parser, ClusterSpec.class);
      if (spec == null) {
        throw new SpecFormatException(source, "", 0, 0, "the configuration is empty");
      }
      return spec;
    } catch (SpecFormatException e) {
      throw e;
    } catch (JsonMappingException e) {
      throw translate(source, e, locations);
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
      // Last resort: nothing of Jackson's or the builders' internals reaches the caller.
      throw new SpecFormatException(source, "", 0, 0, "not a valid configuration");
    }
  }

  /** Writes a specification as Kubitect YAML, leaving out unset values. */
  public static String write(ClusterSpec spec) {
    JsonNode tree = MAPPER.valueToTree(spec);
    prune(tree, "");
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a specification tree", e);
    }
  }

  /**
   * Removes empty mappings and lists, so unset sections do not show up as {@code {}}. The Kubespray
   * variables under {@code addons.kubespray} are passed through as written, empty values included.
   */
  private static boolean prune(JsonNode node, String path) {
    if (path.equals("addons.kubespray")) {
      return node.isEmpty();
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (prune(field.getValue(), child)) {
          fields.remove();
        }
      }
      return node.isEmpty();
    }
    if (node.isArray()) {
      node.forEach(element -> prune(element, path + "[]"));
      return node.isEmpty();
    }
    return false;
  }

  private static SpecFormatException translate(
      String source, JsonMappingException e, Locations locations) {
    String path = path(e.getPath());
    if (e instanceof ValueInstantiationException && e.getCause() instanceof NullPointerException) {
      // A builder refused a null element of a list or a null value of a mapping.
      String at = locations.firstNullUnder(path);
      return locations.error(
          source, at.isEmpty() ? path : at, true, "a value is missing here (null is not allowed)");
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      Set<String> known = new TreeSet<>();
      for (Object id : unknown.getKnownPropertyIds()) {
        known.add(String.valueOf(id));
      }
      return locations.error(
          source,
          path,
          false,
          "unknown key '"
              + unknown.getPropertyName()
              + "'; allowed keys here: "
              + String.join(", ", known));
    }
    if (e.getCause() instanceof InputCoercionException) {
      return locations.error(
          source,
          path,
          true,
          locations.found(path) + " is out of range for a whole number (at most 2147483647)");
    }
    if (e instanceof InvalidFormatException invalid) {
      Class<?> target = invalid.getTargetType();
      if (target != null && target.isEnum()) {
        return locations.error(
            source,
            path,
            true,
            locations.found(path)
                + " is not allowed; use one of: "
                + Arrays.stream(target.getEnumConstants())
                    .map(String::valueOf)
                    .collect(Collectors.joining(", ")));
      }
      return locations.error(
          source, path, true, locations.found(path) + " is not " + typeName(target));
    }
    if (e instanceof MismatchedInputException mismatch) {
      if (path.isEmpty()) {
        return locations.error(
            source,
            path,
            true,
            "expected a mapping with the sections hosts, cluster, kubernetes and addons");
      }
      return locations.error(
          source,
          path,
          true,
          locations.found(path) + " is not " + typeName(mismatch.getTargetType()));
    }
    return locations.error(source, path, true, "not a valid value");
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
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
    }
    return "a mapping";
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

  /**
   * Also quotes texts that YAML 1.1 readers (PyYAML, hence Ansible) take for base-60 numbers, such
   * as the MAC address {@code 52:54:00:00:00:10}.
   */
  private static final class QuoteYaml11Numbers extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;
    private static final Pattern SEXAGESIMAL =
        Pattern.compile("[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?");

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || SEXAGESIMAL.matcher(value).matches();
    }
  }

  /**
   * Where each key and value of a document starts (1-based), by path ({@code a.b[1].c}). Built by a
   * first pass over the YAML events that also rejects what the binding cannot see: malformed YAML,
   * duplicate keys, aliases and a second document.
   */
  private static final class Locations {
    /** Text that reads as a number or boolean only without quotes. */
    private static final Pattern QUOTED_SCALAR =
        Pattern.compile("-?[0-9]+(\\.[0-9]*)?|true|false|yes|no|on|off", Pattern.CASE_INSENSITIVE);

    private final Map<String, int[]> keys = new HashMap<>();
    private final Map<String, int[]> values = new HashMap<>();
    private final Map<String, String> found = new HashMap<>();
    private final List<String> nulls = new ArrayList<>();
    private final String source;

    private Locations(String source) {
      this.source = source;
    }

    static Locations scan(String yaml, String source) {
      Locations locations = new Locations(source);
      try (JsonParser parser = SCAN_FACTORY.createParser(yaml)) {
        JsonToken first = parser.nextToken();
        if (first == null || first == JsonToken.VALUE_NULL) {
          throw new SpecFormatException(source, "", 0, 0, "the configuration is empty");
        }
        locations.value(parser, "");
        JsonToken next;
        while ((next = parser.nextToken()) != null) {
          if (next != JsonToken.VALUE_NULL) {
            JsonLocation at = parser.currentTokenLocation();
            throw new SpecFormatException(
                source,
                "",
                at.getLineNr(),
                at.getColumnNr(),
                "a second YAML document starts here; a configuration is a single document");
          }
        }
      } catch (JsonProcessingException e) {
        throw malformed(source, e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return locations;
    }

    private void value(JsonParser parser, String path) throws IOException {
      JsonLocation at = parser.currentTokenLocation();
      values.put(path, new int[] {at.getLineNr(), at.getColumnNr()});
      if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
        throw new SpecFormatException(
            source,
            path,
            at.getLineNr(),
            at.getColumnNr(),
            "YAML aliases (*name) are not supported; write the value out");
      }
      JsonToken token = parser.currentToken();
      if (token == JsonToken.START_OBJECT) {
        found.put(path, "a mapping");
      } else if (token == JsonToken.START_ARRAY) {
        found.put(path, "a list");
      } else if (token == JsonToken.VALUE_STRING
          && QUOTED_SCALAR.matcher(parser.getText()).matches()) {
        found.put(path, "'" + parser.getText() + "' (quoted, so text)");
      } else if (token != JsonToken.VALUE_NULL) {
        found.put(path, "'" + parser.getText() + "'");
      }
      if (token == JsonToken.VALUE_NULL) {
        nulls.add(path);
      } else if (token == JsonToken.START_OBJECT) {
        Set<String> seen = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          String child = path.isEmpty() ? key : path + "." + key;
          JsonLocation keyAt = parser.currentTokenLocation();
          if (!seen.add(key)) {
            throw new SpecFormatException(
                source,
                child,
                keyAt.getLineNr(),
                keyAt.getColumnNr(),
                "duplicate key '" + key + "'; a key may appear only once in a mapping");
          }
          keys.put(child, new int[] {keyAt.getLineNr(), keyAt.getColumnNr()});
          parser.nextToken();
          value(parser, child);
        }
      } else if (token == JsonToken.START_ARRAY) {
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          value(parser, path + "[" + index++ + "]");
        }
      }
    }

    /** What the document holds at {@code path}: a quoted scalar, "a mapping" or "a list". */
    String found(String path) {
      return found.getOrDefault(path, "the value");
    }

    /** The first null value at or below {@code path}, or empty. */
    String firstNullUnder(String path) {
      for (String candidate : nulls) {
        if (path.isEmpty()
            || candidate.equals(path)
            || candidate.startsWith(path + ".")
            || candidate.startsWith(path + "[")) {
          return candidate;
        }
      }
      return "";
    }

    /** An error at the key ({@code atValue} false) or the value of {@code path}. */
    SpecFormatException error(String source, String path, boolean atValue, String problem) {
      int[] at = (atValue ? values : keys).get(path);
      if (at == null) {
        at = values.getOrDefault(path, new int[] {0, 0});
      }
      return new SpecFormatException(source, path, at[0], at[1], problem);
    }

    private static SpecFormatException malformed(String source, JsonProcessingException e) {
      if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
        Mark problemAt = yaml.getProblemMark();
        StringBuilder problem = new StringBuilder("malformed YAML: ");
        problem.append(yaml.getProblem() == null ? "syntax error" : yaml.getProblem().trim());
        Mark contextAt = yaml.getContextMark();
        if (yaml.getContext() != null) {
          problem.append(" (").append(yaml.getContext().trim());
          if (contextAt != null) {
            problem
                .append(" that starts at line ")
                .append(contextAt.getLine() + 1)
                .append(", column ")
                .append(contextAt.getColumn() + 1);
          }
          problem.append(')');
        }
        return new SpecFormatException(
            source, "", problemAt.getLine() + 1, problemAt.getColumn() + 1, problem.toString());
      }
      JsonLocation at = e.getLocation();
      return new SpecFormatException(
          source,
          "",
          at == null ? 0 : at.getLineNr(),
          at == null ? 0 : at.getColumnNr(),
          "malformed YAML: " + describe(e.getOriginalMessage()));
    }
  }
}
