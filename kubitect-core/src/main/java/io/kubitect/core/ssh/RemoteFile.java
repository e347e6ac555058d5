package io.kubitect.core.ssh;

/**
 * A regular file on a node.
 *
 * @param sha256 hex SHA-256 of its content
 * @param mode octal permission bits, as {@code stat -c %a} prints them ({@code 644})
 * @param owner {@code user:group}
 */
public record RemoteFile(String sha256, String mode, String owner) {}
