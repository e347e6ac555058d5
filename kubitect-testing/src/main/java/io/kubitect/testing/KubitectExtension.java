package io.kubitect.testing;

import io.kubitect.core.AppliedCluster;
import io.kubitect.core.ApplyAction;
import io.kubitect.core.Approval;
import io.kubitect.core.Kubitect;
import io.kubitect.core.KubitectListener;
import io.kubitect.model.ClusterSpec;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A {@link Kubitect} on simulated hosts for JUnit 5 tests (libvirt's test driver: VMs, disks,
 * networks and cloud-init are defined for real in memory, nothing boots, nothing is reached). Each
 * test, or each class with {@link Lifecycle#PER_CLASS}, gets:
 *
 * <ul>
 *   <li>a temporary directory ({@code kubitect-test-*} in {@code java.io.tmpdir}, or in {@link
 *       Builder#temporaryDirectoryIn(Path)}) holding the state directory and the home directory
 *       {@code ~} stands for, so nothing is read from or written to the user's home;
 *   <li>a {@code Kubitect} composed like {@code Kubitect.builder().simulatedHosts()} (the executors
 *       of the libvirt and Kubespray modules, which this module brings along), with a {@link
 *       RecordingListener} attached;
 *   <li>the specification applied, when one is given.
 * </ul>
 *
 * Afterwards every cluster in the state directory is destroyed, the {@code Kubitect} is closed and
 * the temporary directory deleted; anything that could not be cleaned up fails the test. Test and
 * lifecycle methods take these parameters: {@link Kubitect}, {@link AppliedCluster} (the cluster as
 * its state says at the time of the call), {@link ClusterSpec} (as given), {@link
 * RecordingListener}, and a {@link Path} annotated {@link ClusterDirectory}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KubitectExtension KUBITECT =
 *     KubitectExtension.builder()
 *         .spec(() -> SpecFixtures.ha().withWorker(NodeInstance.of("4", "host1")))
 *         .lifecycle(KubitectExtension.Lifecycle.PER_CLASS)
 *         .build();
 * }</pre>
 *
 * {@link Lifecycle#PER_CLASS} needs a {@code static} field (JUnit calls an instance field's
 * extension around each test only); {@link Lifecycle#PER_TEST} works in either. Register one {@code
 * KubitectExtension} per class: two would compete for the same parameters. {@link KubitectTest}
 * registers one configured by its attributes.
 */
public final class KubitectExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  /** How long a fixture lives. */
  public enum Lifecycle {
    /** A new Kubitect, temporary directory and cluster for every test (the default). */
    PER_TEST,
    /**
     * One for the whole class, created before its first test and removed after its last, like a
     * Testcontainers container in a static field. Tests share the cluster, so they see each other's
     * changes.
     */
    PER_CLASS
  }

  private static final String KEY = "fixture";

  private final Fixture.@Nullable Settings configured;
  private final ExtensionContext.Namespace namespace =
      ExtensionContext.Namespace.create(KubitectExtension.class, new Object());

  /**
   * The extension as {@link KubitectTest} (or a plain {@code @ExtendWith}) registers it: settings
   * from the nearest {@code @KubitectTest} of the test class and its enclosing classes, defaults
   * when there is none.
   */
  public KubitectExtension() {
    this.configured = null;
  }

  private KubitectExtension(Fixture.Settings settings) {
    this.configured = settings;
  }

  /** A builder: no specification, {@link ApplyAction#CREATE}, {@link Lifecycle#PER_TEST}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link KubitectExtension} for {@code @RegisterExtension}. */
  public static final class Builder {
    private @Nullable String specLocation;
    private @Nullable Supplier<ClusterSpec> specSupplier;
    private Path specBase = Path.of("");
    private ApplyAction action = ApplyAction.CREATE;
    private Lifecycle lifecycle = Lifecycle.PER_TEST;
    private boolean checkRenderedArtifacts;
    private boolean checkEventPairing;
    private Approval approval = Approval.SAFE_ONLY;
    private final List<KubitectListener> listeners = new ArrayList<>();
    private @Nullable Path temporaryParent;

    private Builder() {}

    /**
     * Applies the specification at {@code location} before the test: {@code classpath:NAME} (such
     * as {@link SpecFixtures#HA}) or a file path relative to the {@linkplain #specBaseDirectory
     * spec base directory}, which it must not leave (symbolic links included). Read when the
     * fixture is created; a missing or invalid file fails the test with the path.
     */
    public Builder spec(String location) {
      this.specLocation = Objects.requireNonNull(location, "location");
      this.specSupplier = null;
      return this;
    }

    /** Applies the specification {@code supplier} builds, called when the fixture is created. */
    public Builder spec(Supplier<ClusterSpec> supplier) {
      this.specSupplier = Objects.requireNonNull(supplier, "supplier");
      this.specLocation = null;
      return this;
    }

    /**
     * The directory spec file paths are relative to and confined to; the working directory (a Maven
     * module's directory) by default.
     */
    public Builder specBaseDirectory(Path directory) {
      this.specBase = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** The action the specification is applied with ({@link ApplyAction#CREATE} by default). */
    public Builder action(ApplyAction applyAction) {
      this.action = Objects.requireNonNull(applyAction, "action");
      return this;
    }

    /** One cluster per test (default) or per class. */
    public Builder lifecycle(Lifecycle value) {
      this.lifecycle = Objects.requireNonNull(value, "lifecycle");
      return this;
    }

    /**
     * Has the real tools check what the simulated run renders ({@code haproxy -c} on haproxy.cfg,
     * {@code ansible-inventory} on the inventory); a tool that is not installed then fails the
     * apply. Costs seconds per apply.
     */
    public Builder checkRenderedArtifacts() {
      this.checkRenderedArtifacts = true;
      return this;
    }

    /**
     * Fails the test when the fixture's events do not pair up (a started step or phase that did not
     * finish exactly once), checked once the cluster was destroyed.
     */
    public Builder checkEventPairing() {
      this.checkEventPairing = true;
      return this;
    }

    /** Decides on dangerous changes of the tests' applies ({@link Approval#SAFE_ONLY} default). */
    public Builder approval(Approval value) {
      this.approval = Objects.requireNonNull(value, "approval");
      return this;
    }

    /** Adds a listener of the fixture's events (besides its own {@link RecordingListener}). */
    public Builder listener(KubitectListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Creates the temporary directories in {@code parent} (created when missing) instead of {@code
     * java.io.tmpdir}.
     */
    public Builder temporaryDirectoryIn(Path parent) {
      this.temporaryParent = Objects.requireNonNull(parent, "parent");
      return this;
    }

    /** The extension. */
    public KubitectExtension build() {
      SpecSource source = null;
      if (specLocation != null) {
        source = SpecSource.of(specLocation, specBase);
      } else if (specSupplier != null) {
        source = SpecSource.of(specSupplier, specSupplier.getClass().getName());
      }
      return new KubitectExtension(
          new Fixture.Settings(
              source,
              action,
              lifecycle,
              checkRenderedArtifacts,
              checkEventPairing,
              approval,
              listeners,
              temporaryParent));
    }
  }

  // ------------------------------------------------------------------ settings

  private Fixture.Settings settings(ExtensionContext context) {
    if (configured != null) {
      return configured;
    }
    Optional<KubitectTest> annotation = annotation(context.getRequiredTestClass());
    return annotation.map(KubitectExtension::fromAnnotation).orElseGet(KubitectExtension::defaults);
  }

  /** The nearest {@code @KubitectTest} of the class or the classes enclosing it. */
  private static Optional<KubitectTest> annotation(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      Optional<KubitectTest> found = AnnotationSupport.findAnnotation(c, KubitectTest.class);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Fixture.Settings defaults() {
    return new Fixture.Settings(
        null,
        ApplyAction.CREATE,
        Lifecycle.PER_TEST,
        false,
        false,
        Approval.SAFE_ONLY,
        List.of(),
        null);
  }

  private static Fixture.Settings fromAnnotation(KubitectTest test) {
    boolean hasPath = !test.spec().isEmpty();
    boolean hasSupplier = test.specSupplier() != KubitectTest.NoSpec.class;
    if (hasPath && hasSupplier) {
      throw new ExtensionConfigurationException(
          "@KubitectTest takes spec or specSupplier, not both");
    }
    SpecSource source = null;
    if (hasPath) {
      source = SpecSource.of(test.spec(), Path.of(""));
    } else if (hasSupplier) {
      source = SpecSource.of(instantiate(test.specSupplier()), test.specSupplier().getName());
    }
    return new Fixture.Settings(
        source,
        test.action(),
        test.lifecycle(),
        test.checkRenderedArtifacts(),
        test.checkEventPairing(),
        Approval.SAFE_ONLY,
        List.of(),
        null);
  }

  private static Supplier<ClusterSpec> instantiate(Class<? extends Supplier<ClusterSpec>> type) {
    try {
      Constructor<? extends Supplier<ClusterSpec>> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExtensionConfigurationException(
          "@KubitectTest(specSupplier = "
              + type.getName()
              + ".class) cannot be created: it needs a constructor without parameters ("
              + e
              + ")",
          e);
    }
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public void beforeAll(ExtensionContext context) {
    Fixture.Settings settings = settings(context);
    if (settings.lifecycle() != Lifecycle.PER_CLASS) {
      return;
    }
    Class<?> testClass = context.getRequiredTestClass();
    Fixture inherited = context.getStore(namespace).get(KEY, Fixture.class);
    boolean ownSettings =
        configured == null && AnnotationSupport.isAnnotated(testClass, KubitectTest.class);
    if (inherited != null && !ownSettings) {
      return; // a @Nested class shares its enclosing class's cluster
    }
    context
        .getStore(namespace)
        .put(KEY, Fixture.open(settings, testClass.getName(), classLoader(context)));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Fixture own = context.getStore(namespace).remove(KEY, Fixture.class);
    if (own != null) {
      own.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Fixture.Settings settings = settings(context);
    if (settings.lifecycle() == Lifecycle.PER_CLASS) {
      if (context.getStore(namespace).get(KEY, Fixture.class) == null) {
        throw new ExtensionConfigurationException(
            "KubitectExtension with Lifecycle.PER_CLASS has no cluster for "
                + owner(context)
                + ": JUnit calls an extension in an instance field around each test only;"
                + " register it in a static field, or use Lifecycle.PER_TEST");
      }
      return;
    }
    context
        .getStore(namespace)
        .put(KEY, Fixture.open(settings, owner(context), classLoader(context)));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    // Only a PER_TEST fixture lives in the test's own store; a class's is in its parent's.
    Fixture own = context.getStore(namespace).remove(KEY, Fixture.class);
    if (own != null) {
      own.close();
    }
  }

  private static String owner(ExtensionContext context) {
    return context.getRequiredTestClass().getName()
        + context.getTestMethod().map(m -> "." + m.getName() + "()").orElse("");
  }

  private static ClassLoader classLoader(ExtensionContext context) {
    ClassLoader loader = context.getRequiredTestClass().getClassLoader();
    return loader != null ? loader : ClassLoader.getSystemClassLoader();
  }

  // ------------------------------------------------------------------ parameters

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == Path.class) {
      return parameter.isAnnotated(ClusterDirectory.class);
    }
    return type == Kubitect.class
        || type == AppliedCluster.class
        || type == ClusterSpec.class
        || type == RecordingListener.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    Fixture fixture = context.getStore(namespace).get(KEY, Fixture.class);
    if (fixture == null) {
      throw new ParameterResolutionException(
          "KubitectExtension has no fixture for "
              + type.getSimpleName()
              + " parameter of "
              + parameter.getDeclaringExecutable()
              + " yet: with Lifecycle.PER_TEST it exists from the test's @BeforeEach on (not in"
              + " constructors or @BeforeAll methods); use Lifecycle.PER_CLASS for those");
    }
    if (type == Kubitect.class) {
      return fixture.kubitect();
    }
    if (type == RecordingListener.class) {
      return fixture.events();
    }
    ClusterSpec spec =
        fixture
            .spec()
            .orElseThrow(
                () ->
                    new ParameterResolutionException(
                        "KubitectExtension applied no specification, so there is no "
                            + type.getSimpleName()
                            + " for "
                            + parameter.getDeclaringExecutable()
                            + ": give one with @KubitectTest(spec = ...) or"
                            + " KubitectExtension.builder().spec(...), or apply your own with"
                            + " the Kubitect parameter"));
    if (type == ClusterSpec.class) {
      return spec;
    }
    AppliedCluster cluster =
        fixture
            .cluster()
            .orElseThrow(
                () ->
                    new ParameterResolutionException(
                        "cluster "
                            + spec.cluster().name().orElse("?")
                            + " is no longer applied (did the test destroy it?)"));
    return type == AppliedCluster.class ? cluster : cluster.stateDirectory();
  }

  @Override
  public String toString() {
    return "KubitectExtension" + (configured == null ? "(@KubitectTest)" : "(builder)");
  }
}
