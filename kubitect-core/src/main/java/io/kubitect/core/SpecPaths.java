package io.kubitect.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kubitect.model.ClusterSpec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Flattens a resolved specification into leaf paths and values for comparison. The leaves are found
 * by reflection over the model, so a field added to a model type is compared without anyone listing
 * it here; a field of a type with no rule below fails loudly instead of going unseen.
 *
 * <p>Rules, by the declared type of each model attribute:
 *
 * <ul>
 *   <li>a model type (an abstract value class of {@code io.kubitect.model}): its attributes, each
 *       under its YAML key ({@link JsonProperty} when present, otherwise the accessor's name, so
 *       {@code Host.defaultHost()} is {@code default});
 *   <li>{@link Optional}: its value when present, nothing when empty;
 *   <li>a list of a model type: elements keyed by their {@code id} or {@code name} ({@code
 *       cluster.nodes.worker.instances[id=3].cpu}, {@code hosts[name=host1].mainResourcePoolPath}),
 *       so reordering a list is not a change; the key itself is no leaf;
 *   <li>a list of scalars (DNS servers, taints): compared as a set ({@code
 *       taints[dedicated=db:NoSchedule]}, value {@code present});
 *   <li>a map: one entry per key ({@code labels.disk});
 *   <li>{@code Object} (the free-form {@code addons.kubespray} variables): nested maps by key and
 *       nested lists by index, since order matters to the variables' consumer;
 *   <li>strings, numbers, booleans and enums: their YAML spelling ({@code toString()}).
 * </ul>
 *
 * <p>The attributes of a model type are its public, non-static, non-final accessors without
 * parameters. Those deliberately not compared are listed in {@link #NOT_COMPARED} with the reason;
 * {@code SpecPathsTest} fails when a model attribute changes without a change of leaves and is not
 * listed there.
 */
final class SpecPaths {
  /**
   * Model attributes ({@code Type.accessor}) that are not compared, each with the reason. Values in
   * them reach the plan through what they resolve into.
   */
  static final Map<String, String> NOT_COMPARED =
      Map.of(
          "NodeGroup.defaults",
          "resolved into every master and worker instance (SpecDefaults), which are compared;"
              + " a default alone builds nothing",
          "LoadBalancers.defaults",
          "resolved into every load-balancer instance (SpecDefaults), which are compared;"
              + " a default alone builds nothing",
          "NodeInstance.name",
          "Kubitect's instance name has no effect (nodes are named <cluster>-<role>-<id>), and"
              + " Kubitect does not compare it either",
          "LoadBalancerInstance.name",
          "Kubitect's instance name has no effect (nodes are named <cluster>-lb-<id>), and"
              + " Kubitect does not compare it either");

  private static final Package MODEL = ClusterSpec.class.getPackage();

  /** Element identities of identified lists, in order of preference. */
  private static final List<String> IDENTITIES = List.of("id", "name");

  /** Leaf types besides enums. */
  private static final Set<Class<?>> SCALARS =
      Set.of(String.class, Integer.class, Long.class, Boolean.class);

  /** One attribute of a model type: its YAML key, accessor and declared type. */
  private record Attribute(String key, Method accessor) {
    Type type() {
      return accessor.getGenericReturnType();
    }

    Object of(Object value) {
      try {
        return Objects.requireNonNull(accessor.invoke(value), accessor.getName());
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + accessor, e);
      }
    }
  }

  private static final ClassValue<List<Attribute>> ATTRIBUTES =
      new ClassValue<>() {
        @Override
        protected List<Attribute> computeValue(Class<?> type) {
          return attributes(type);
        }
      };

  private final Map<String, String> leaves = new TreeMap<>();

  private SpecPaths() {}

  static Map<String, String> of(ClusterSpec spec) {
    SpecPaths paths = new SpecPaths();
    paths.model("", ClusterSpec.class, spec);
    return paths.leaves;
  }

  /** Whether values of this type are walked attribute by attribute. */
  static boolean isModel(Class<?> type) {
    return type.getPackage() == MODEL
        && !type.isEnum()
        && !type.isInterface()
        && Modifier.isAbstract(type.getModifiers());
  }

  private static List<Attribute> attributes(Class<?> type) {
    List<Attribute> attributes = new ArrayList<>();
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
      if (NOT_COMPARED.containsKey(type.getSimpleName() + "." + m.getName())) {
        continue;
      }
      attributes.add(new Attribute(key(m), m));
    }
    attributes.sort(Comparator.comparing(Attribute::key));
    return List.copyOf(attributes);
  }

  /** The YAML key of an accessor. */
  static String key(Method accessor) {
    JsonProperty property = accessor.getAnnotation(JsonProperty.class);
    return property == null || property.value().isEmpty() ? accessor.getName() : property.value();
  }

  private void model(String path, Class<?> type, Object value) {
    for (Attribute a : ATTRIBUTES.get(type)) {
      typed(path.isEmpty() ? a.key() : path + "." + a.key(), a.type(), a.of(value));
    }
  }

  private void typed(String path, Type type, Object value) {
    Class<?> raw = raw(type);
    if (raw == Optional.class) {
      ((Optional<?>) value).ifPresent(v -> typed(path, argument(type, 0), v));
    } else if (raw == List.class) {
      list(path, argument(type, 0), (List<?>) value);
    } else if (raw == Map.class) {
      Type values = argument(type, 1);
      ((Map<?, ?>) value).forEach((k, v) -> typed(path + "." + k, values, v));
    } else if (raw == Object.class) {
      untyped(path, value);
    } else if (raw.isEnum() || SCALARS.contains(raw)) {
      leaves.put(path, String.valueOf(value));
    } else if (isModel(raw)) {
      model(path, raw, value);
    } else {
      throw new IllegalStateException(path + ": no rule to compare values of " + type);
    }
  }

  private void list(String path, Type element, List<?> values) {
    Class<?> raw = raw(element);
    if (raw.isEnum() || SCALARS.contains(raw)) {
      for (Object value : values) {
        leaves.put(path + "[" + value + "]", "present");
      }
    } else if (raw == Object.class) {
      untyped(path, values);
    } else if (isModel(raw)) {
      Attribute identity = identity(path, raw);
      for (Object value : values) {
        Object id = identity.of(value);
        String key =
            id instanceof Optional<?> o ? o.map(String::valueOf).orElse("") : id.toString();
        String p = path + "[" + identity.key() + "=" + key + "]";
        for (Attribute a : ATTRIBUTES.get(raw)) {
          if (!a.equals(identity)) {
            typed(p + "." + a.key(), a.type(), a.of(value));
          }
        }
      }
    } else {
      throw new IllegalStateException(path + ": no rule to compare lists of " + element);
    }
  }

  private static Attribute identity(String path, Class<?> type) {
    for (String name : IDENTITIES) {
      for (Attribute a : ATTRIBUTES.get(type)) {
        if (a.accessor().getName().equals(name)) {
          return a;
        }
      }
    }
    throw new IllegalStateException(
        path
            + ": elements of "
            + type.getSimpleName()
            + " have neither id nor name, so changes to them cannot be told from additions");
  }

  /** Free-form data: maps by key, lists by index, anything else by its text. */
  private void untyped(String path, Object value) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> untyped(path + "." + k, v));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        untyped(path + "[" + i + "]", list.get(i));
      }
    } else {
      leaves.put(path, String.valueOf(value));
    }
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    throw new IllegalStateException("no rule to compare values of " + type);
  }

  private static Type argument(Type type, int index) {
    if (type instanceof ParameterizedType p) {
      return p.getActualTypeArguments()[index];
    }
    throw new IllegalStateException("raw type without its type arguments: " + type);
  }
}
