package io.kubitect.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Node host keys in the user's known_hosts: replaced by address, every other line kept. */
class UserKnownHostsTest {
  private static final String KEY =
      "AAAAC3NzaC1lZDI1NTE5AAAAIPF+/AihxRyUgbq2zUQANpbtwFv5vUu7rOjo/YpGehy1";
  private static final String NEW =
      "AAAAC3NzaC1lZDI1NTE5AAAAIKq7h0Zx0k0Z8kq7Gx3y7Vn1m3y5p0b2c9d8e7f6a5b4";
  private static final String OTHER = "AAAAB3NzaC1yc2EAAAADAQABAAABAQC7";

  /** Made by {@code ssh-keygen -H}: the hashed names of 10.10.13.10 and 10.10.13.99. */
  private static final String NAME_10 =
      "|1|oET1B31IOkqHKq2aUl2rAQg9IoM=|mK2WjqXaXsxNV2NAqSHh8ErJWsA=";

  private static final String NAME_99 =
      "|1|3ybLtOJ/Zt86wSaZ1mtcv2l/f0w=|zfF8aaks5JNsayn8y9R3LBAPNnk=";

  private static final String HASHED_10 = NAME_10 + " ssh-ed25519 " + KEY;

  private static final String HASHED_99 = NAME_99 + " ssh-ed25519 " + KEY;

  private static String entry(String ip, String key) {
    return ip + " ssh-ed25519 " + key;
  }

  @Test
  void intoAnEmptyFileTheEntriesAreTheFile() {
    List<String> entries = List.of(entry("10.10.13.10", NEW), entry("10.10.13.11", NEW));

    assertThat(UserKnownHosts.add("", entries, List.of()))
        .isEqualTo(entries.get(0) + "\n" + entries.get(1) + "\n");
  }

  @Test
  void earlierEntriesForTheSameAddressesAreReplacedInEveryForm() {
    String text =
        String.join(
                "\n",
                "# my hosts",
                "10.10.13.10 ssh-rsa " + OTHER,
                "[10.10.13.10]:22 ssh-ed25519 " + KEY,
                HASHED_10,
                HASHED_99,
                "10.10.13.10,gitlab.example,10.0.0.1 ecdsa-sha2-nistp256 AAAAE2 comment here",
                "[10.10.13.10]:2222 ssh-ed25519 " + KEY,
                "!10.10.13.10,10.10.* ssh-ed25519 " + KEY,
                "@cert-authority 10.10.13.10 ssh-ed25519 " + KEY,
                "10.10.13.100 ssh-ed25519 " + KEY,
                "  ",
                "github.com ssh-ed25519 " + KEY + "\r")
            + "\n";

    String result = UserKnownHosts.add(text, List.of(entry("10.10.13.10", NEW)), List.of());

    assertThat(result)
        .isEqualTo(
            String.join(
                    "\n",
                    "# my hosts",
                    HASHED_99,
                    "gitlab.example,10.0.0.1 ecdsa-sha2-nistp256 AAAAE2 comment here",
                    "[10.10.13.10]:2222 ssh-ed25519 " + KEY,
                    "!10.10.13.10,10.10.* ssh-ed25519 " + KEY,
                    "@cert-authority 10.10.13.10 ssh-ed25519 " + KEY,
                    "10.10.13.100 ssh-ed25519 " + KEY,
                    "  ",
                    "github.com ssh-ed25519 " + KEY + "\r",
                    entry("10.10.13.10", NEW))
                + "\n");
  }

  @Test
  void aNodeThatIsGoneLeavesNoLineAndAddingTwiceChangesNothing() {
    List<String> before = List.of(entry("10.10.13.10", KEY), entry("10.10.13.22", KEY));
    String text = "github.com ssh-ed25519 " + KEY + "\n" + String.join("\n", before) + "\n";
    List<String> now = List.of(entry("10.10.13.10", KEY));

    String result = UserKnownHosts.add(text, now, before);

    assertThat(result).isEqualTo("github.com ssh-ed25519 " + KEY + "\n" + now.get(0) + "\n");
    assertThat(UserKnownHosts.add(result, now, now)).isEqualTo(result);
  }

  @Test
  void aLastLineWithoutALineBreakIsKept() {
    assertThat(
            UserKnownHosts.add(
                "github.com ssh-ed25519 " + KEY, List.of(entry("10.0.0.9", NEW)), List.of()))
        .isEqualTo("github.com ssh-ed25519 " + KEY + "\n" + entry("10.0.0.9", NEW) + "\n");
  }

  @Test
  void removeTakesOutExactlyTheSdksLines() {
    List<String> ours = List.of(entry("10.10.13.10", NEW), entry("10.10.13.11", NEW));
    String mine = "10.10.13.10 ssh-rsa " + OTHER + "\n# keep\n";
    String text = mine + ours.get(0) + "\n" + ours.get(1).replace(" ", "\t") + "\n";

    assertThat(UserKnownHosts.remove(text, ours)).isEqualTo(mine);
    assertThat(UserKnownHosts.remove(mine, ours)).isSameAs(mine);
    assertThat(UserKnownHosts.remove("", ours)).isEmpty();
  }

  @Test
  void hashedNamesAreMatchedAsOpenSshHashesThem() {
    assertThat(UserKnownHosts.hashedNames(NAME_10, "10.10.13.10")).isTrue();
    assertThat(UserKnownHosts.hashedNames(NAME_10, "10.10.13.99")).isFalse();
    assertThat(UserKnownHosts.hashedNames(NAME_99, "10.10.13.99")).isTrue();
    assertThat(UserKnownHosts.hashedNames("|1|not base64!|x", "10.10.13.10")).isFalse();
    assertThat(UserKnownHosts.hashedNames("|1||", "10.10.13.10")).isFalse();
    assertThat(UserKnownHosts.hashedNames("|2|a|b", "10.10.13.10")).isFalse();
  }

  @ParameterizedTest(name = "[{index}]")
  @ValueSource(
      strings = {
        "",
        "10.10.13.10",
        "10.10.13.10 ssh-ed25519",
        "10.10.13.10 ssh-ed25519 AAAA extra",
        "10.10.13.10 ssh-ed25519 AAAA\nevil.example ssh-rsa AAAA",
        "10.10.13.256 ssh-ed25519 AAAA",
        "host.example ssh-ed25519 AAAA",
        "[10.10.13.10]:22 ssh-ed25519 AAAA",
        "10.10.13.10 ssh-dss AAAA",
        "10.10.13.10 ssh-ed25519 AA AA",
        "@revoked 10.10.13.10 ssh-ed25519 AAAA"
      })
  void onlyTheSdksOwnEntryFormIsCopied(String line) {
    assertThat(UserKnownHosts.isEntry(line)).isFalse();
  }

  @Test
  void theSdksEntriesAreEntries() {
    assertThat(UserKnownHosts.isEntry(entry("10.10.13.10", KEY))).isTrue();
    assertThat(UserKnownHosts.isEntry("192.168.113.5 ssh-rsa " + OTHER + "==")).isTrue();
  }
}
