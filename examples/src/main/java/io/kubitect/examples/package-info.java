/** Runnable examples and the {@code kubitect} command-line app. */
@NullMarked
package io.kubitect.examples;

import org.jspecify.annotations.NullMarked;
