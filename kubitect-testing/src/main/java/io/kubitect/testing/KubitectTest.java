package io.kubitect.testing;

import io.kubitect.core.ApplyAction;
import io.kubitect.model.ClusterSpec;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class with {@link KubitectExtension}: each test (or, with {@link
 * KubitectExtension.Lifecycle#PER_CLASS}, the whole class) gets a {@code Kubitect} on simulated
 * hosts with its own temporary state and home directories, the specification applied when one is
 * given, and everything destroyed, closed and deleted afterwards.
 *
 * <pre>{@code
 * @KubitectTest(spec = SpecFixtures.HA)
 * class MyPlatformToolTest {
 *   @Test
 *   void seesEveryNode(AppliedCluster cluster, Kubitect kubitect) {
 *     assertThat(cluster.nodes()).hasSize(8);
 *   }
 * }
 * }</pre>
 *
 * For settings in code (a lambda supplier, an approval, more listeners, another temporary
 * directory), register the extension with {@code @RegisterExtension} and {@link
 * KubitectExtension#builder()} instead. Give at most one of {@link #spec()} and {@link
 * #specSupplier()}; a {@code @Nested} class without an annotation of its own shares its enclosing
 * class's settings (and, per class, its cluster).
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KubitectExtension.class)
public @interface KubitectTest {
  /**
   * The specification to apply before the test: {@code classpath:NAME} for a class-path resource
   * (such as {@link SpecFixtures#HA}), or a file path relative to the working directory (a Maven
   * module's directory), which it must not leave, symbolic links included. Empty: nothing is
   * applied.
   */
  String spec() default "";

  /**
   * A class with a no-argument constructor whose {@code get()} builds the specification to apply,
   * for specifications made with the model's builders.
   */
  Class<? extends Supplier<ClusterSpec>> specSupplier() default NoSpec.class;

  /** The action the specification is applied with. */
  ApplyAction action() default ApplyAction.CREATE;

  /** One cluster per test (default) or one for the whole class. */
  KubitectExtension.Lifecycle lifecycle() default KubitectExtension.Lifecycle.PER_TEST;

  /**
   * Has the real tools check what the simulated run renders ({@code haproxy -c}, {@code
   * ansible-inventory}); a tool that is not installed then fails the apply. Costs seconds.
   */
  boolean checkRenderedArtifacts() default false;

  /**
   * Fails the test when the events of the fixture's applies and destroys do not pair up (every
   * started step and phase finished exactly once), checked after the cluster was destroyed.
   */
  boolean checkEventPairing() default false;

  /** The default of {@link #specSupplier()}: no supplier. */
  final class NoSpec implements Supplier<ClusterSpec> {
    private NoSpec() {}

    @Override
    public ClusterSpec get() {
      throw new UnsupportedOperationException("NoSpec supplies nothing");
    }
  }
}
