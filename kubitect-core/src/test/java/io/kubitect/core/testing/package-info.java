/**
 * Test fixtures that run real components: OpenSSH servers, network namespaces, HTTPS "masters".
 * Tests that need root or a missing tool are skipped with the reason, except in CI (env {@code
 * CI=true}), where they fail instead.
 */
@NullMarked
package io.kubitect.core.testing;

import org.jspecify.annotations.NullMarked;
