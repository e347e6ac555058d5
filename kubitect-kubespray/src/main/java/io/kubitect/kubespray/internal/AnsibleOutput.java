package io.kubitect.kubespray.internal;

import io.kubitect.kubespray.internal.AnsibleEvent.Counts;
import io.kubitect.kubespray.internal.AnsibleEvent.HostResult;
import io.kubitect.kubespray.internal.AnsibleEvent.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses the output of {@code ansible-playbook} with the {@code default} stdout callback and colour
 * off, line by line, into {@link AnsibleEvent}s, and keeps what a failure report needs: the running
 * counts per host, the failed results and the last lines. Not thread-safe: one reader feeds it.
 */
public final class AnsibleOutput {
  private static final Pattern PLAY = Pattern.compile("^PLAY \\[(.*)\\] \\**\\s*$");
  private static final Pattern TASK =
      Pattern.compile("^(?:TASK|RUNNING HANDLER) \\[(.*)\\] \\**\\s*$");
  private static final Pattern RECAP_HEADER = Pattern.compile("^PLAY RECAP \\**\\s*$");
  private static final Pattern RESULT =
      Pattern.compile(
          "^(ok|changed|skipping|fatal|failed|unreachable): \\[([^\\]]+?)(?: -> ([^\\]]+))?\\]"
              + "(?::? ?(UNREACHABLE!|FAILED!))?(.*)$");
  private static final Pattern RECAP =
      Pattern.compile(
          "^(\\S+)\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)"
              + "(?:\\s+skipped=(\\d+))?(?:\\s+rescued=(\\d+))?(?:\\s+ignored=(\\d+))?.*$");
  private static final Pattern MSG = Pattern.compile("\"msg\": \"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern IGNORING = Pattern.compile("^\\.\\.\\.ignoring\\s*$");

  private final int tailLines;
  private final Deque<String> tail = new ArrayDeque<>();
  private final Map<String, Counts> counts = new LinkedHashMap<>();
  private final Map<String, Counts> recap = new LinkedHashMap<>();
  private final List<HostResult> failures = new ArrayList<>();
  private String play = "";
  private String task = "";
  private int plays;
  private int tasks;
  private boolean inRecap;
  private @Nullable HostResult lastFailure;

  /** A parser that keeps the last {@code tailLines} lines. */
  public AnsibleOutput(int tailLines) {
    this.tailLines = tailLines;
  }

  /** Takes one line (without its line end); returns what it means, if anything. */
  public Optional<AnsibleEvent> accept(String line) {
    tail.addLast(line);
    if (tail.size() > tailLines) {
      tail.removeFirst();
    }
    if (RECAP_HEADER.matcher(line).matches()) {
      inRecap = true;
      return Optional.empty();
    }
    Matcher m = PLAY.matcher(line);
    if (m.matches()) {
      inRecap = false;
      play = m.group(1);
      plays++;
      return Optional.of(new AnsibleEvent.PlayStarted(plays, play));
    }
    m = TASK.matcher(line);
    if (m.matches()) {
      task = m.group(1);
      tasks++;
      return Optional.of(new AnsibleEvent.TaskStarted(tasks, play, task));
    }
    m = RECAP.matcher(line);
    if (inRecap && m.matches()) {
      Counts c =
          new Counts(
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)),
              Integer.parseInt(m.group(5)),
              m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
              m.group(8) == null ? 0 : Integer.parseInt(m.group(8)));
      recap.put(m.group(1), c);
      return Optional.of(new AnsibleEvent.Recap(m.group(1), c));
    }
    if (IGNORING.matcher(line).matches() && lastFailure != null) {
      // The failure just reported is ignored (ignore_errors): it does not fail the host.
      HostResult ignored = lastFailure;
      failures.remove(ignored);
      // Ansible counts an ignored failure as ok and ignored, not as failed.
      counts.computeIfPresent(
          ignored.host(),
          (h, c) ->
              new Counts(
                  c.ok() + 1,
                  c.changed(),
                  c.unreachable(),
                  c.failed() - 1,
                  c.skipped(),
                  c.ignored() + 1));
      lastFailure = null;
      return Optional.of(
          new HostResult(task, ignored.host(), ignored.delegatedTo(), Status.IGNORED, ""));
    }
    m = RESULT.matcher(line);
    if (m.matches()) {
      Status status =
          switch (m.group(1)) {
            case "ok" -> Status.OK;
            case "changed" -> Status.CHANGED;
            case "skipping" -> Status.SKIPPED;
            case "unreachable" -> Status.UNREACHABLE;
            default -> "UNREACHABLE!".equals(m.group(4)) ? Status.UNREACHABLE : Status.FAILED;
          };
      String host = m.group(2).trim();
      String rest = m.group(5) == null ? "" : m.group(5);
      String message = "";
      if (status == Status.FAILED || status == Status.UNREACHABLE) {
        Matcher msg = MSG.matcher(rest);
        message = msg.find() ? unescape(msg.group(1)) : rest.replaceFirst("^\\s*=>\\s*", "");
      }
      HostResult result =
          new HostResult(task, host, Optional.ofNullable(m.group(3)), status, message.trim());
      counts.merge(host, Counts.NONE.plus(status), (a, b) -> a.plus(status));
      if (status == Status.FAILED || status == Status.UNREACHABLE) {
        failures.add(result);
        lastFailure = result;
      } else {
        lastFailure = null;
      }
      return Optional.of(result);
    }
    return Optional.empty();
  }

  private static String unescape(String json) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c != '\\' || i + 1 == json.length()) {
        out.append(c);
        continue;
      }
      char n = json.charAt(++i);
      switch (n) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'u' -> {
          if (i + 4 < json.length()) {
            out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
            i += 4;
          }
        }
        default -> out.append(n);
      }
    }
    return out.toString();
  }

  /** Results counted so far, per host, in order of first appearance. */
  public Map<String, Counts> counts() {
    return Map.copyOf(counts);
  }

  /** The recap's counts per host (empty until the recap is printed). */
  public Map<String, Counts> recap() {
    return new LinkedHashMap<>(recap);
  }

  /** Failed and unreachable results, in order. */
  public List<HostResult> failures() {
    return List.copyOf(failures);
  }

  /** The last lines, joined with newlines. */
  public String tail() {
    return String.join("\n", tail);
  }
}
