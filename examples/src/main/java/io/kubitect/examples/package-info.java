/** Runnable examples of embedding the SDK (the command-line app is {@code kubitect-cli}). */
@NullMarked
package io.kubitect.examples;

import org.jspecify.annotations.NullMarked;
