/**
 * The {@code kubitect} command-line app: Kubitect's commands over the SDK's public API. Exit codes
 * are listed in {@link io.kubitect.cli.ExitCode}.
 */
@NullMarked
package io.kubitect.cli;

import org.jspecify.annotations.NullMarked;
