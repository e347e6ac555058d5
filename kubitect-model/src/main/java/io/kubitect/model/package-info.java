/**
 * The cluster specification: immutable value types that mirror Kubitect's YAML (accessor name =
 * YAML key), their builders, the YAML reader/writer ({@link io.kubitect.model.KubitectYaml}) and
 * the explicit resolution of defaults ({@link io.kubitect.model.ClusterSpec#resolveDefaults()}).
 *
 * <p>Values are kept as written: a field the YAML leaves out is empty here, so the validator can
 * report every missing or malformed value at once with its path. The generated {@code Immutable*}
 * classes are package-private and not API.
 */
@NullMarked
@SpecStyle
package io.kubitect.model;

import org.jspecify.annotations.NullMarked;
