package io.kubitect.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link java.nio.file.Path} parameter that {@link KubitectExtension} fills with the
 * applied cluster's directory ({@code <state>/<cluster>}: {@code config/}, {@code artifacts/},
 * keys, journal). Plain {@code Path} parameters are left to other resolvers (such as
 * {@code @TempDir}).
 *
 * <pre>{@code
 * @Test
 * void rendersTheInventory(@ClusterDirectory Path cluster) {
 *   assertThat(cluster.resolve("ansible/inventory/hosts.yaml")).exists();
 * }
 * }</pre>
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ClusterDirectory {}
