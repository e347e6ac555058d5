package io.kubitect.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads and writes Kubitect's YAML configuration format.
 *
 * <p>Reading is strict: an unknown key, a duplicate key, a value of the wrong type, malformed YAML,
 * an alias ({@code *name}) or a second document throws {@link SpecFormatException} with the path
 * and line/column. Unknown keys, duplicate keys and values of the wrong type are reported all at
 * once (at most {@link SpecFormatException#MAX_PROBLEMS}), as Kubitect reports them; a problem that
 * stops the YAML parser ends the list. A key without a value ({@code name:} or {@code name: ~})
 * counts as absent. Keys of Kubitect's older schemas are read (see {@link SpecDefaults}). Writing
 * leaves out what is unset, so {@code read(write(spec))} equals {@code spec}; node ids that are
 * plain decimal numbers are written as YAML integers ({@code id: 1}). Instances are thread-safe.
 *
 * <p>Reading is bounded, so hostile input costs little time and memory: at most {@link
 * #MAX_CONFIG_BYTES} are read, lines, keys and values are at most {@link #MAX_SCALAR_CHARS} long,
 * mappings and lists nest at most {@link #MAX_NESTING_DEPTH} deep, and only regular files are
 * opened. What exceeds a limit is refused with a {@link SpecFormatException} that says where.
 */
public final class KubitectYaml {
  /**
   * The largest configuration that is read: 1 MiB of UTF-8. Larger files are refused from their
   * size before they are opened, and a file that grows while it is read is refused too.
   */
  public static final int MAX_CONFIG_BYTES = 1024 * 1024;

  /**
   * The longest line, key or value, in characters: 64 Ki. Long lines are refused before parsing,
   * since the YAML scanner's cost grows with the square of a line's length.
   */
  public static final int MAX_SCALAR_CHARS = 64 * 1024;

  /** How deep mappings and lists may nest, the top-level mapping counted as 1. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** The most digits a number may have (Jackson's default). */
  private static final int MAX_NUMBER_CHARS = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;

  /** Values quoted in messages are cut to this length. */
  private static final int MAX_QUOTED_CHARS = 80;

  /** A decimal number as Kubitect writes ids: {@code 0}, or digits without a leading zero. */
  private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

  // Checked here as well as before parsing: Jackson's YAML parser enforces the document length
  // and nesting depth, not the string and name lengths (Locations checks those).
  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxDocumentLength(MAX_CONFIG_BYTES)
          .maxNestingDepth(MAX_NESTING_DEPTH)
          .maxStringLength(MAX_SCALAR_CHARS)
          .maxNameLength(MAX_SCALAR_CHARS)
          .maxNumberLength(MAX_NUMBER_CHARS)
          .build();

  private static final YAMLFactory FACTORY =
      YAMLFactory.builder()
          .streamReadConstraints(LIMITS)
          .loaderOptions(loaderOptions())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // The builder does not start from the parser's defaults: `key:` must read as null.
          .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          // A text that looks like a number stays text when read back ("128", a MAC address).
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .stringQuotingChecker(new QuoteForOtherReaders())
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();
  // Without duplicate detection: the first pass reports duplicates with their path itself.
  private static final YAMLFactory SCAN_FACTORY =
      YAMLFactory.builder()
          .streamReadConstraints(LIMITS)
          .loaderOptions(loaderOptions())
          .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
          .build();
  private static final ObjectMapper MAPPER = newMapper();

  /** The problem of a null value where the model does not allow one. */
  private static final String MISSING_VALUE = "a value is missing here (null is not allowed)";

  private KubitectYaml() {}

  /**
   * SnakeYAML's own document limit, checked between tokens. Jackson reads SnakeYAML's events, not
   * its node graph, so aliases are never expanded (Locations refuses them) and SnakeYAML's alias
   * and nesting limits, which apply to the graph, do not come into play.
   */
  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CONFIG_BYTES);
    return options;
  }

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
   * Reads a configuration file of at most {@link #MAX_CONFIG_BYTES} bytes of UTF-8.
   *
   * @throws SpecFormatException when the file is missing, not a regular file (a directory, device
   *     or FIFO), too large, not UTF-8, empty or not a valid configuration
   */
  public static ClusterSpec read(Path file) {
    String source = file.toString();
    byte[] bytes;
    try {
      // Checked before opening: opening a FIFO waits for a writer, a device never ends.
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new SpecFormatException(
            source,
            "",
            0,
            0,
            "cannot be read: not a regular file (" + kind(file, attributes) + ")");
      }
      if (attributes.size() > MAX_CONFIG_BYTES) {
        throw new SpecFormatException(source, "", 0, 0, tooLarge(attributes.size()));
      }
      try (InputStream in = Files.newInputStream(file)) {
        // One byte more than allowed tells a file that grew since its size was read.
        bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
      }
    } catch (NoSuchFileException e) {
      throw new SpecFormatException(source, "", 0, 0, "file does not exist");
    } catch (IOException e) {
      throw new SpecFormatException(
          source, "", 0, 0, "cannot be read: " + describe(e.getMessage()));
    }
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new SpecFormatException(
          source,
          "",
          0,
          0,
          "the configuration grew past "
              + MAX_CONFIG_BYTES
              + " bytes while it was read; at most "
              + MAX_CONFIG_BYTES
              + " (1 MiB) are read");
    }
    return read(decode(bytes, source), source);
  }

  private static String tooLarge(long bytes) {
    return "the configuration is "
        + bytes
        + " bytes; at most "
        + MAX_CONFIG_BYTES
        + " (1 MiB) are read";
  }

  /** What a file that is not a regular file is, for the message. */
  private static String kind(Path file, BasicFileAttributes attributes) {
    if (attributes.isDirectory()) {
      return "a directory";
    }
    try {
      // The file type bits of st_mode, where the platform offers the "unix" view.
      if (Files.getAttribute(file, "unix:mode") instanceof Integer mode) {
        String kind =
            switch (mode & 0xF000) {
              case 0x1000 -> "a FIFO";
              case 0x2000 -> "a character device";
              case 0x6000 -> "a block device";
              case 0xC000 -> "a socket";
              default -> "";
            };
        if (!kind.isEmpty()) {
          return kind;
        }
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // No "unix" view: the generic description below.
    }
    return "a device, FIFO or socket";
  }

  /** Decodes strict UTF-8: a malformed byte is refused with its line and column. */
  private static String decode(byte[] bytes, String source) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // UTF-8 never decodes to more chars than it has bytes.
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    out.flip();
    if (result.isError()) {
      int[] at = position(out, out.length());
      throw new SpecFormatException(
          source,
          "",
          at[0],
          at[1],
          String.format(
              "not UTF-8 text: byte 0x%02x is not valid here; save the file as UTF-8",
              bytes[in.position()] & 0xFF));
    }
    return out.toString();
  }

  /**
   * Reads a configuration from text of at most {@link #MAX_CONFIG_BYTES} bytes as UTF-8; {@code
   * source} names it in error messages.
   *
   * @throws SpecFormatException when the text is too large, empty or not a valid configuration
   */
  public static ClusterSpec read(String yaml, String source) {
    if (yaml.length() > MAX_CONFIG_BYTES) {
      // Each character takes a byte at least: refused without counting the bytes.
      throw new SpecFormatException(
          source,
          "",
          0,
          0,
          "the configuration is "
              + yaml.length()
              + " characters long; at most "
              + MAX_CONFIG_BYTES
              + " bytes (1 MiB) are read");
    }
    long bytes = utf8Length(yaml);
    if (bytes > MAX_CONFIG_BYTES) {
      throw new SpecFormatException(source, "", 0, 0, tooLarge(bytes));
    }
    checkCharacters(yaml, source);
    // First pass: YAML syntax, duplicate keys, aliases, documents, the lengths of keys and values;
    // remembers where each key is.
    Locations locations = Locations.scan(yaml, source);
    SpecFormatException first = null;
    if (locations.problems.isEmpty()) {
      Bound bound = bind(yaml, source, locations);
      ClusterSpec spec = bound.spec();
      if (spec != null) {
        return spec;
      }
      first = bound.problem();
    }
    // The document has problems: find all of them, at most SpecFormatException.MAX_PROBLEMS.
    List<SpecFormatException> problems = new Walk(source, locations).problems(yaml);
    if (problems.isEmpty()) {
      throw first != null
          ? first
          : new SpecFormatException(source, "", 0, 0, "not a valid configuration");
    }
    throw SpecFormatException.of(source, problems);
  }

  /** The result of binding a document: the specification, or why the binding refused it. */
  private record Bound(@Nullable ClusterSpec spec, @Nullable SpecFormatException problem) {}

  /**
   * Binds a document that the first pass accepted. A value the binding refuses is returned as the
   * problem; anything else that goes wrong is thrown.
   */
  private static Bound bind(String yaml, String source, Locations locations) {
    try (JsonParser parser = MAPPER.createParser(yaml)) {
      ClusterSpec spec = MAPPER.readValue(parser, ClusterSpec.class);
      if (spec == null) {
        throw new SpecFormatException(source, "", 0, 0, "the configuration is empty");
      }
      return new Bound(spec, null);
    } catch (SpecFormatException e) {
      throw e;
    } catch (JsonMappingException e) {
      return new Bound(null, translate(source, e, locations, "", rel -> rel));
    } catch (StreamConstraintsException e) {
      // Not expected after the first pass, which checks the same limits.
      throw new SpecFormatException(source, "", 0, 0, limitExceeded(e));
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

  /**
   * Writes a specification as Kubitect YAML, leaving out unset values. A node instance's id that is
   * a plain decimal number ({@code 0} or no leading zero, at most {@link Long#MAX_VALUE}) is
   * written as a YAML integer ({@code id: 1}), as in Kubitect's own configurations; any other id,
   * like any other text, is written as text, quoted where a YAML reader would take it for a number,
   * boolean, null or date ({@code id: "07"}).
   */
  public static String write(ClusterSpec spec) {
    JsonNode tree = MAPPER.valueToTree(spec);
    prune(tree, "");
    writeDecimalIdsAsIntegers(tree);
    try {
      return MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a specification tree", e);
    }
  }

  /**
   * Writes a specification in {@code format}: {@link ConfigFormat#SDK} is {@link
   * #write(ClusterSpec)}; {@link ConfigFormat#KUBITECT} writes it with every default resolved in
   * Kubitect's current schema, without the keys Kubitect does not have ({@code
   * kubernetes.kubespray}, and any key of an older schema that resolution did not move), and names
   * what it left out in comment lines at the top. Reading that form back gives the resolved
   * specification without those keys.
   */
  public static String write(ClusterSpec spec, ConfigFormat format) {
    if (format == ConfigFormat.SDK) {
      return write(spec);
    }
    JsonNode tree = MAPPER.valueToTree(spec.resolveDefaults());
    prune(tree, "");
    StringBuilder header = new StringBuilder();
    for (List<String> keys : NOT_IN_KUBITECT) {
      JsonNode parent = tree;
      for (String key : keys.subList(0, keys.size() - 1)) {
        parent = parent.path(key);
      }
      String last = keys.get(keys.size() - 1);
      if (parent instanceof ObjectNode object && object.has(last)) {
        header.append(describeLeftOut(String.join(".", keys), object.remove(last)));
      }
    }
    prune(tree, "");
    writeDecimalIdsAsIntegers(tree);
    try {
      return (header.length() == 0
              ? ""
              : "# Kubitect's current schema, written by Kubitect for Java. What the SDK keeps and"
                  + " Kubitect has no key for:\n"
                  + header)
          + MAPPER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a specification tree", e);
    }
  }

  /**
   * Keys this SDK reads that current Kubitect does not: the Kubespray checkout (Kubitect pins its
   * release) and the older schemas' keys, which resolution moves to their current place.
   */
  private static final List<List<String>> NOT_IN_KUBITECT =
      List.of(
          List.of("kubernetes", "kubespray"),
          List.of("kubernetes", "other", "copyKubeconfig"),
          List.of("cluster", "network", "dns"),
          List.of("cluster", "nodeTemplate", "networkInterface"),
          List.of("cluster", "nodeTemplate", "image"),
          List.of("kubitect"));

  /** Comment lines for a key left out of Kubitect's form, one per value under it. */
  private static String describeLeftOut(String path, JsonNode removed) {
    if (path.equals("kubernetes.kubespray")) {
      return "# kubespray release pinned by the SDK: "
          + commentText(removed.path("version").asText("(none)"))
          + " (kubernetes.kubespray.version; Kubitect uses "
          + KubesprayReleases.DEFAULT_VERSION
          + ")\n# kubespray repository: "
          + commentText(removed.path("url").asText("(none)"))
          + " (kubernetes.kubespray.url)\n";
    }
    return "# " + path + ": " + commentText(removed.toString()) + "\n";
  }

  /**
   * Text that stays on its comment line: line breaks (also YAML 1.1's U+0085, U+2028 and U+2029),
   * other control and format characters are escaped, and long text is cut.
   */
  private static String commentText(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .limit(MAX_QUOTED_CHARS * 4L)
        .forEach(
            c -> {
              if (Character.isISOControl(c)
                  || Character.getType(c) == Character.FORMAT
                  || Character.getType(c) == Character.LINE_SEPARATOR
                  || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04X", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return text.codePointCount(0, text.length()) > MAX_QUOTED_CHARS * 4
        ? out + "..."
        : out.toString();
  }

  /**
   * The instance ids under {@code cluster.nodes} that are plain decimal numbers become integers.
   */
  private static void writeDecimalIdsAsIntegers(JsonNode tree) {
    JsonNode nodes = tree.path("cluster").path("nodes");
    for (String group : List.of("loadBalancer", "master", "worker")) {
      for (JsonNode instance : nodes.path(group).path("instances")) {
        if (instance instanceof ObjectNode object
            && object.get("id") instanceof TextNode id
            && isDecimalLong(id.textValue())) {
          object.put("id", Long.parseLong(id.textValue()));
        }
      }
    }
  }

  /** Whether {@code text} is {@code 0} or a decimal without leading zero that fits in a long. */
  private static boolean isDecimalLong(String text) {
    if (!DECIMAL.matcher(text).matches()) {
      return false;
    }
    String max = String.valueOf(Long.MAX_VALUE);
    return text.length() < max.length()
        || (text.length() == max.length() && text.compareTo(max) <= 0);
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

  /**
   * What a binding error means in the document's terms. The error's path is relative to the value
   * that was bound: {@code fix} adjusts it and {@code base} is prepended (both are for {@link
   * Walk}, which binds parts of the document).
   */
  private static SpecFormatException translate(
      String source,
      JsonMappingException e,
      Locations locations,
      String base,
      UnaryOperator<String> fix) {
    String path = join(base, fix.apply(path(e.getPath())));
    if (e instanceof ValueInstantiationException && e.getCause() instanceof NullPointerException) {
      // A builder refused a null element of a list or a null value of a mapping.
      String at = locations.firstNullUnder(path);
      return locations.error(source, at.isEmpty() ? path : at, true, MISSING_VALUE);
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
          "unknown key "
              + quote(unknown.getPropertyName())
              + "; allowed keys here: "
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

  /** {@code relative} under {@code base}: {@code base.relative} or {@code base[1]...}. */
  static String join(String base, String relative) {
    if (relative.isEmpty()) {
      return base;
    }
    if (base.isEmpty()) {
      return relative;
    }
    return relative.startsWith("[") ? base + relative : base + "." + relative;
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

  /** The length of {@code text} in UTF-8, without encoding it. */
  private static long utf8Length(String text) {
    long bytes = 0;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * Refuses characters that YAML does not allow and lines longer than {@link #MAX_SCALAR_CHARS},
   * with their line and column (counted as SnakeYAML counts them). A long line is refused here
   * because SnakeYAML copies its buffer for every 1 Ki characters of a line that it scans.
   */
  private static void checkCharacters(String yaml, String source) {
    int line = 1;
    int column = 0;
    for (int i = 0; i < yaml.length(); ) {
      int c = yaml.codePointAt(i);
      i += Character.charCount(c);
      if (isLineBreak(c) || (c == '\r' && (i == yaml.length() || yaml.charAt(i) != '\n'))) {
        line++;
        column = 0;
        continue;
      }
      if (!isPrintable(c)) {
        throw new SpecFormatException(
            source,
            "",
            line,
            column + 1,
            String.format("character U+%04X is not allowed in YAML; remove it", c));
      }
      if (c != 0xFEFF && ++column > MAX_SCALAR_CHARS) {
        throw new SpecFormatException(
            source,
            "",
            line,
            column,
            "line "
                + line
                + " is longer than "
                + MAX_SCALAR_CHARS
                + " characters; a line, key or value has at most "
                + MAX_SCALAR_CHARS);
      }
    }
  }

  /** Line and column (1-based) after the first {@code end} characters of {@code text}. */
  private static int[] position(CharSequence text, int end) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (isLineBreak(c) || (c == '\r' && (i + 1 == end || text.charAt(i + 1) != '\n'))) {
        line++;
        column = 1;
      } else if (!Character.isLowSurrogate(c) && c != 0xFEFF) {
        column++;
      }
    }
    return new int[] {line, column};
  }

  /** The line breaks of YAML 1.1, as SnakeYAML reads them; {@code \r\n} is one. */
  private static boolean isLineBreak(int c) {
    return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029;
  }

  /** The characters YAML 1.1 allows in a stream (SnakeYAML's {@code StreamReader.isPrintable}). */
  private static boolean isPrintable(int c) {
    return (c >= 0x20 && c <= 0x7E)
        || c == '\t'
        || c == '\n'
        || c == '\r'
        || c == 0x85
        || (c >= 0xA0 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }

  /** Jackson's message for an exceeded limit, without the name of the setting. */
  private static String limitExceeded(StreamConstraintsException e) {
    return "the document exceeds a limit: "
        + describe(e.getOriginalMessage()).replaceAll(",? from `[^`]*`", "");
  }

  /**
   * A value as it appears in a message: in single quotes, on one line, at most {@link
   * #MAX_QUOTED_CHARS} characters.
   */
  static String quote(String value) {
    boolean cut = value.length() > MAX_QUOTED_CHARS;
    String shown = cut ? value.substring(0, MAX_QUOTED_CHARS) : value;
    return "'" + SpecFormatException.oneLine(shown) + (cut ? "...'" : "'");
  }

  /**
   * Also quotes texts that other YAML readers take for something else: base-60 numbers and dates
   * for YAML 1.1 readers (PyYAML, hence Ansible), such as the MAC address {@code 52:54:00:00:00:10}
   * or {@code 2001-12-14}, and {@code 0o} octal numbers for YAML 1.2 and Go readers, such as {@code
   * 0o17}.
   */
  private static final class QuoteForOtherReaders extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;
    private static final Pattern SEXAGESIMAL =
        Pattern.compile("[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?");
    private static final Pattern OCTAL = Pattern.compile("[-+]?0[oO][0-7_]*");
    // The start of a YAML 1.1 timestamp: a date, alone or followed by a time.
    private static final Pattern DATE =
        Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \\t].*)?");

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value)
          || SEXAGESIMAL.matcher(value).matches()
          || OCTAL.matcher(value).matches()
          || DATE.matcher(value).matches();
    }
  }

  /**
   * Finds every problem of a document that the binding refuses, at most {@link
   * SpecFormatException#MAX_PROBLEMS}: the first pass's (duplicate keys), then unknown keys and
   * values of the wrong type. The binding itself decides what is wrong: the document is walked
   * along the model, and each value that does not bind as part of its mapping is bound again on its
   * own (a property of its mapping, an element of its list, an entry of its map) to find what is
   * wrong with it. Mappings, lists and maps that bind as a whole are not looked into.
   */
  private static final class Walk {
    // Reads a document as a tree; duplicate keys are reported by the first pass. Made when a
    // document first has problems: a second mapper costs start-up time that valid documents
    // never need.
    private static final ObjectMapper TREE_MAPPER =
        YAMLMapper.builder(SCAN_FACTORY)
            .disable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /** The attributes of each model type by YAML key, with their declared types. */
    private static final ClassValue<Map<String, Type>> ATTRIBUTES =
        new ClassValue<>() {
          @Override
          protected Map<String, Type> computeValue(Class<?> type) {
            return attributes(type);
          }
        };

    private final String source;
    private final Locations locations;
    private final List<SpecFormatException> found = new ArrayList<>();

    /** Paths of the first pass's problems (duplicate keys), each reported once. */
    private final Set<String> reported = new HashSet<>();

    Walk(String source, Locations locations) {
      this.source = source;
      this.locations = locations;
      for (SpecFormatException e : locations.problems) {
        found.add(e);
        reported.add(e.path());
      }
    }

    /** The problems of {@code yaml}, in document order. */
    List<SpecFormatException> problems(String yaml) {
      JsonNode root;
      try {
        root = TREE_MAPPER.readTree(yaml);
      } catch (IOException | RuntimeException e) {
        return found; // the first pass reads what this reads; nothing more to find
      }
      if (root instanceof ObjectNode object) {
        model(ClusterSpec.class, object, "");
      } else if (root != null) {
        bind(ClusterSpec.class, root, "", rel -> rel);
      }
      List<SpecFormatException> sorted = new ArrayList<>(found);
      // Document order; a problem without a position last.
      sorted.sort(
          Comparator.comparingInt((SpecFormatException e) -> e.line() > 0 ? e.line() : MAX_LINE)
              .thenComparingInt(SpecFormatException::column));
      return sorted;
    }

    private static final int MAX_LINE = Integer.MAX_VALUE;

    private boolean full() {
      return found.size() > SpecFormatException.MAX_PROBLEMS;
    }

    /** Checks a mapping that should be a {@code type}. */
    private void model(Class<?> type, ObjectNode node, String path) {
      if (full() || binds(type, node)) {
        return;
      }
      Map<String, Type> attributes = ATTRIBUTES.get(type);
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (full()) {
          return;
        }
        String key = field.getKey();
        JsonNode value = field.getValue();
        Type declared = attributes.get(key);
        String here = join(path, key);
        if (declared == null || value.isNull()) {
          property(type, key, value, path, rel -> rel);
          continue;
        }
        Class<?> raw = raw(declared);
        if (isModel(raw) && value instanceof ObjectNode object) {
          model(raw, object, here);
        } else if (raw == List.class && value.isArray()) {
          Class<?> element = raw(argument(declared));
          for (int i = 0; i < value.size() && !full(); i++) {
            JsonNode item = value.get(i);
            String itemPath = here + "[" + i + "]";
            if (item.isNull()) {
              add(locations.error(source, itemPath, true, MISSING_VALUE));
            } else if (isModel(element) && item instanceof ObjectNode object) {
              model(element, object, itemPath);
            } else {
              int index = i;
              property(
                  type,
                  key,
                  JsonNodeFactory.instance.arrayNode().add(item),
                  path,
                  rel -> atIndex(rel, key, index));
            }
          }
        } else if (raw == Map.class && value instanceof ObjectNode map) {
          for (Map.Entry<String, JsonNode> entry : map.properties()) {
            if (full()) {
              return;
            }
            String entryKey = entry.getKey();
            ObjectNode single = JsonNodeFactory.instance.objectNode();
            single.set(entryKey, entry.getValue());
            property(
                type,
                key,
                single,
                path,
                rel -> rel.isEmpty() || rel.equals(key) ? key + "." + entryKey : rel);
          }
        } else {
          property(type, key, value, path, rel -> rel);
        }
      }
    }

    /**
     * {@code key[0]...} as {@code key[index]...}; the property alone, or the mapping that holds it
     * (where a builder refused the value), as its element.
     */
    private static String atIndex(String relative, String key, int index) {
      String first = key + "[0]";
      if (relative.isEmpty() || relative.equals(key)) {
        return key + "[" + index + "]";
      }
      if (relative.startsWith(first)) {
        return key + "[" + index + "]" + relative.substring(first.length());
      }
      return relative;
    }

    /** Binds {@code key: value} as a {@code type} of its own, at {@code path}. */
    private void property(
        Class<?> type, String key, JsonNode value, String path, UnaryOperator<String> fix) {
      ObjectNode single = JsonNodeFactory.instance.objectNode();
      single.set(key, value);
      bind(type, single, path, fix);
    }

    private void bind(Class<?> type, JsonNode node, String path, UnaryOperator<String> fix) {
      try {
        MAPPER.readerFor(type).readValue(MAPPER.treeAsTokens(node));
      } catch (JsonMappingException e) {
        add(translate(source, e, locations, path, fix));
      } catch (IOException | RuntimeException e) {
        add(locations.error(source, path, true, "not a valid value"));
      }
    }

    private static boolean binds(Class<?> type, JsonNode node) {
      try {
        MAPPER.readerFor(type).readValue(MAPPER.treeAsTokens(node));
        return true;
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }

    private void add(SpecFormatException problem) {
      if (!reported.contains(problem.path())) {
        found.add(problem);
      }
    }

    /** Model types: the abstract value classes of this package. */
    private static boolean isModel(Class<?> type) {
      return type.getPackage() == ClusterSpec.class.getPackage()
          && !type.isEnum()
          && !type.isInterface()
          && Modifier.isAbstract(type.getModifiers());
    }

    /** The attributes of a model type: accessors without parameters, by YAML key. */
    private static Map<String, Type> attributes(Class<?> type) {
      Map<String, Type> attributes = new HashMap<>();
      for (Method m : type.getMethods()) {
        int modifiers = m.getModifiers();
        if (m.getDeclaringClass() == Object.class
            || Modifier.isStatic(modifiers)
            || Modifier.isFinal(modifiers)
            || m.getParameterCount() != 0
            || m.isSynthetic()
            || m.getReturnType() == void.class) {
          continue;
        }
        JsonProperty property = m.getAnnotation(JsonProperty.class);
        String key =
            property == null || property.value().isEmpty() ? m.getName() : property.value();
        attributes.put(key, m.getGenericReturnType());
      }
      return Map.copyOf(attributes);
    }

    private static Class<?> raw(Type type) {
      if (type instanceof Class<?> c) {
        return c;
      }
      if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
        return c;
      }
      return Object.class;
    }

    private static Type argument(Type type) {
      return type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
    }
  }

  /**
   * Where each key and value of a document starts (1-based), found by path ({@code a.b[1].c}).
   * Built by a first pass over the YAML events that also rejects what the binding cannot see:
   * malformed YAML, duplicate keys, aliases, a second document, and keys, values and numbers over
   * their limits.
   *
   * <p>Each value is a node that knows its parent, not its whole path: paths are built only for an
   * error, so a long key above many values costs no memory per value.
   */
  private static final class Locations {
    /** Text that reads as a number or boolean only without quotes. */
    private static final Pattern QUOTED_SCALAR =
        Pattern.compile("-?[0-9]+(\\.[0-9]*)?|true|false|yes|no|on|off", Pattern.CASE_INSENSITIVE);

    /** What a value is, for {@link #found}. */
    private enum Kind {
      MAPPING,
      LIST,
      TEXT,
      SCALAR,
      NULL
    }

    /** One value of the document, and the key it is under. */
    private static final class Node {
      final @Nullable Node parent;
      final @Nullable String key;
      final int index;
      final int pathLength;
      final int keyLine;
      final int keyColumn;
      int line;
      int column;
      Kind kind = Kind.NULL;
      String text = "";

      Node(@Nullable Node parent, @Nullable String key, int index, int keyLine, int keyColumn) {
        this.parent = parent;
        this.key = key;
        this.index = index;
        this.keyLine = keyLine;
        this.keyColumn = keyColumn;
        this.pathLength = parent == null ? 0 : parent.pathLength + segment().length();
      }

      /** This node's part of the path: {@code key}, {@code .key} or {@code [index]}. */
      String segment() {
        if (parent == null) {
          return "";
        }
        if (key == null) {
          return "[" + index + "]";
        }
        return parent.pathLength == 0 ? key : "." + key;
      }

      String path() {
        StringBuilder path = new StringBuilder(pathLength);
        for (Node n = this; n != null; n = n.parent) {
          path.insert(0, n.segment());
        }
        return path.toString();
      }

      /** Whether this node's path is {@code path}, compared from the end without building it. */
      boolean hasPath(String path) {
        if (pathLength != path.length()) {
          return false;
        }
        int end = path.length();
        for (Node n = this; n.parent != null; n = n.parent) {
          String segment = n.segment();
          end -= segment.length();
          if (end < 0 || !path.startsWith(segment, end)) {
            return false;
          }
        }
        return end == 0;
      }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final String source;

    /**
     * Problems after which the scan went on (duplicate keys), in document order, at most one more
     * than {@link SpecFormatException#MAX_PROBLEMS}.
     */
    final List<SpecFormatException> problems = new ArrayList<>();

    private Locations(String source) {
      this.source = source;
    }

    /**
     * Scans a document. A problem that stops the scan is thrown together with the problems found
     * before it.
     */
    static Locations scan(String yaml, String source) {
      Locations locations = new Locations(source);
      try {
        locations.scanDocument(yaml);
      } catch (SpecFormatException fatal) {
        if (locations.problems.isEmpty()) {
          throw fatal;
        }
        List<SpecFormatException> all = new ArrayList<>(locations.problems);
        all.add(fatal);
        throw SpecFormatException.of(source, all);
      }
      return locations;
    }

    private void problem(SpecFormatException problem) {
      if (problems.size() <= SpecFormatException.MAX_PROBLEMS) {
        problems.add(problem);
      }
    }

    private void scanDocument(String yaml) {
      try (JsonParser parser = SCAN_FACTORY.createParser(yaml)) {
        try {
          JsonToken first = parser.nextToken();
          if (first == null || first == JsonToken.VALUE_NULL) {
            throw new SpecFormatException(source, "", 0, 0, "the configuration is empty");
          }
          value(parser, new Node(null, null, -1, 0, 0));
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
        } catch (StreamConstraintsException e) {
          throw limit(parser, e);
        }
      } catch (JsonProcessingException e) {
        throw malformed(source, e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Jackson refused to go deeper (or, unexpectedly, another of its limits). */
    private SpecFormatException limit(JsonParser parser, StreamConstraintsException e) {
      JsonLocation at = parser.currentTokenLocation();
      if (parser.getParsingContext().getNestingDepth() > MAX_NESTING_DEPTH) {
        return new SpecFormatException(
            source,
            "",
            at.getLineNr(),
            at.getColumnNr(),
            "mappings and lists nest more than "
                + MAX_NESTING_DEPTH
                + " levels deep; at most "
                + MAX_NESTING_DEPTH
                + " are allowed");
      }
      return new SpecFormatException(
          source, "", at.getLineNr(), at.getColumnNr(), limitExceeded(e));
    }

    private void value(JsonParser parser, Node node) throws IOException {
      nodes.add(node);
      JsonLocation at = parser.currentTokenLocation();
      node.line = at.getLineNr();
      node.column = at.getColumnNr();
      if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
        throw error(node, "YAML aliases (*name) are not supported; write the value out");
      }
      JsonToken token = parser.currentToken();
      if (token == JsonToken.START_OBJECT) {
        node.kind = Kind.MAPPING;
        Set<String> seen = new HashSet<>();
        while (nextKey(parser, node) == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          JsonLocation keyAt = parser.currentTokenLocation();
          if (key.length() > MAX_SCALAR_CHARS) {
            throw new SpecFormatException(
                source,
                node.path(),
                keyAt.getLineNr(),
                keyAt.getColumnNr(),
                "a key is " + key.length() + " characters long; at most " + MAX_SCALAR_CHARS);
          }
          Node child = new Node(node, key, -1, keyAt.getLineNr(), keyAt.getColumnNr());
          if (!seen.add(key)) {
            // The later value wins, for the binding and for the checks of the values under it.
            problem(
                new SpecFormatException(
                    source,
                    child.path(),
                    keyAt.getLineNr(),
                    keyAt.getColumnNr(),
                    "duplicate key " + quote(key) + "; a key may appear only once in a mapping"));
          }
          parser.nextToken();
          value(parser, child);
        }
      } else if (token == JsonToken.START_ARRAY) {
        node.kind = Kind.LIST;
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          value(parser, new Node(node, null, index++, 0, 0));
        }
      } else if (token != JsonToken.VALUE_NULL) {
        node.kind = token == JsonToken.VALUE_STRING ? Kind.TEXT : Kind.SCALAR;
        node.text = parser.getText();
        if (node.text.length() > MAX_SCALAR_CHARS) {
          throw error(
              node,
              "the value is "
                  + node.text.length()
                  + " characters long; at most "
                  + MAX_SCALAR_CHARS);
        }
        if (token.isNumeric() && node.text.length() > MAX_NUMBER_CHARS) {
          throw error(
              node,
              "the number has "
                  + node.text.length()
                  + " characters; a number has at most "
                  + MAX_NUMBER_CHARS);
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT && !isFinite(parser)) {
          throw error(
              node, quote(node.text) + " is not a finite number (too large, infinite or NaN)");
        }
      }
    }

    /**
     * The next token in a mapping. Jackson refuses a key that is a list, a mapping or an alias with
     * a message that names SnakeYAML's event classes, so it is told here in the document's terms.
     */
    private JsonToken nextKey(JsonParser parser, Node mapping) throws IOException {
      try {
        return parser.nextToken();
      } catch (JsonParseException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (!message.startsWith("Expected a field name")) {
          throw e;
        }
        JsonLocation at = parser.currentTokenLocation();
        throw new SpecFormatException(
            source,
            mapping.path(),
            at.getLineNr(),
            at.getColumnNr(),
            message.contains("AliasEvent")
                ? "YAML aliases (*name) are not supported; write the value out"
                : "a key must be plain text, not a list or mapping");
      }
    }

    /**
     * Whether a float is finite. Jackson cannot parse {@code .inf} and {@code .nan}, and would turn
     * 1e400 into Infinity, written back as the text "Infinity".
     */
    private static boolean isFinite(JsonParser parser) throws IOException {
      try {
        return Double.isFinite(parser.getDoubleValue());
      } catch (JsonParseException e) {
        return false;
      }
    }

    private SpecFormatException error(Node node, String problem) {
      return new SpecFormatException(source, node.path(), node.line, node.column, problem);
    }

    /** The last node with this path, as a later key of the same path wins. */
    private @Nullable Node find(String path) {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        Node node = nodes.get(i);
        if (node.hasPath(path)) {
          return node;
        }
      }
      return null;
    }

    /** What the document holds at {@code path}: a quoted scalar, "a mapping" or "a list". */
    String found(String path) {
      Node node = find(path);
      if (node == null) {
        return "the value";
      }
      return switch (node.kind) {
        case MAPPING -> "a mapping";
        case LIST -> "a list";
        case TEXT ->
            QUOTED_SCALAR.matcher(node.text).matches()
                ? quote(node.text) + " (quoted, so text)"
                : quote(node.text);
        case SCALAR -> quote(node.text);
        case NULL -> "the value";
      };
    }

    /** The first null value at or below {@code path}, or empty. */
    String firstNullUnder(String path) {
      for (Node node : nodes) {
        if (node.kind != Kind.NULL) {
          continue;
        }
        for (Node n = node; n != null && n.pathLength >= path.length(); n = n.parent) {
          if (n.hasPath(path)) {
            return node.path();
          }
        }
      }
      return "";
    }

    /** An error at the key ({@code atValue} false) or the value of {@code path}. */
    SpecFormatException error(String source, String path, boolean atValue, String problem) {
      Node node = find(path);
      if (node == null) {
        return new SpecFormatException(source, path, 0, 0, problem);
      }
      boolean atKey = !atValue && node.key != null;
      return new SpecFormatException(
          source,
          path,
          atKey ? node.keyLine : node.line,
          atKey ? node.keyColumn : node.column,
          problem);
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
