package io.kubitect.core.spi;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 SSH key pair in OpenSSH's formats: the private key as an unencrypted {@code OPENSSH
 * PRIVATE KEY} PEM block, the public key as an authorized_keys line. Used for the cluster's node
 * key and for the host keys the SDK injects into nodes, so first connections are verified.
 */
public record SshKeyPair(String privateKey, String publicKey) {
  private static final String KEY_TYPE = "ssh-ed25519";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Generates a new pair; {@code comment} ends the public key line. */
  public static SshKeyPair generateEd25519(String comment) {
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
    }
    // X.509 and PKCS#8 encodings of Ed25519 end with the raw 32-byte public key and seed.
    byte[] x509 = pair.getPublic().getEncoded();
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    byte[] publicRaw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);

    byte[] publicBlob =
        wire(
            out -> {
              string(out, KEY_TYPE.getBytes(StandardCharsets.US_ASCII));
              string(out, publicRaw);
            });
    int check = RANDOM.nextInt();
    byte[] secret = new byte[64];
    System.arraycopy(seed, 0, secret, 0, 32);
    System.arraycopy(publicRaw, 0, secret, 32, 32);
    byte[] privateSection =
        wire(
            out -> {
              out.writeInt(check);
              out.writeInt(check);
              string(out, KEY_TYPE.getBytes(StandardCharsets.US_ASCII));
              string(out, publicRaw);
              string(out, secret);
              string(out, comment.getBytes(StandardCharsets.UTF_8));
              for (int pad = 1; out.size() % 8 != 0; pad++) {
                out.writeByte(pad);
              }
            });
    byte[] file =
        wire(
            out -> {
              out.write("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
              string(out, "none".getBytes(StandardCharsets.US_ASCII));
              string(out, "none".getBytes(StandardCharsets.US_ASCII));
              string(out, new byte[0]);
              out.writeInt(1);
              string(out, publicBlob);
              string(out, privateSection);
            });
    Arrays.fill(secret, (byte) 0);
    Arrays.fill(seed, (byte) 0);
    String body = Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(file);
    String pem =
        "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----\n";
    String line =
        KEY_TYPE
            + " "
            + Base64.getEncoder().encodeToString(publicBlob)
            + (comment.isEmpty() ? "" : " " + comment);
    return new SshKeyPair(pem, line);
  }

  /** The public key without its comment: {@code ssh-ed25519 AAAA...}, as known_hosts wants it. */
  public String publicKeyWithoutComment() {
    String[] parts = publicKey.split(" ", 3);
    return parts[0] + " " + parts[1];
  }

  /** Never prints the private key. */
  @Override
  public String toString() {
    return "SshKeyPair[" + publicKey + "]";
  }

  private interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] wire(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void string(DataOutputStream out, byte[] value) throws IOException {
    out.writeInt(value.length);
    out.write(value);
  }
}
