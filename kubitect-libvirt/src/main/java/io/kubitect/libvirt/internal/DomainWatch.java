package io.kubitect.libvirt.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the domains of one host while their nodes' readiness is awaited, so that a domain that
 * stopped (QEMU crashed or was killed, KVM could not run the guest, someone destroyed it) fails its
 * node at once instead of after the readiness timeout. Every interval one call lists the running
 * domains; only a watched domain missing from that list has its state read, and when that state is
 * dead ({@link RunState#dead}) or the domain is gone, the verdict is kept and that node's wait is
 * cancelled (its probe interrupted, its pause ended). The other nodes' waits go on. A failed poll
 * (a lost connection) is tried again at the next interval: only what libvirt says decides.
 */
final class DomainWatch {
  private static final Logger LOG = LoggerFactory.getLogger(DomainWatch.class);

  private final Hypervisor hv;
  private final Cancellation run;
  private final Cancellation stop;
  private final Map<String, Watched> watched = new ConcurrentHashMap<>();

  /** Why a watched domain will not become ready: its state, or empty when libvirt lost it. */
  record Dead(Optional<RunState> state) {
    /** E.g. {@code libvirt says it is shut off (crashed)}, for the node's error. */
    String describe() {
      return state
          .map(s -> "libvirt says it is " + s)
          .orElse("libvirt no longer knows it (undefined meanwhile)");
    }
  }

  private static final class Watched {
    final Cancellation wait;
    volatile Optional<Dead> dead = Optional.empty();

    Watched(Cancellation wait) {
      this.wait = wait;
    }
  }

  /** A watch over {@code hv} that ends when {@code run} is cancelled or {@link #stop} is called. */
  DomainWatch(Hypervisor hv, Cancellation run) {
    this.hv = hv;
    this.run = run;
    this.stop = run.part();
  }

  /**
   * Watches {@code domain} from now on; the result is the cancellation of its node's wait:
   * cancelled when the run is, or when the domain is found dead.
   */
  Cancellation watch(String domain) {
    Watched entry = new Watched(run.part());
    watched.put(domain, entry);
    return entry.wait;
  }

  /** Stops watching {@code domain} (its wait ended). */
  void unwatch(String domain) {
    watched.remove(domain);
  }

  /** The verdict on {@code domain}, once it was found dead. */
  Optional<Dead> dead(String domain) {
    Watched entry = watched.get(domain);
    return entry == null ? Optional.empty() : entry.dead;
  }

  /** Polls every {@code interval} until stopped; run on a thread of its own. */
  void run(Duration interval) {
    while (!stop.isCancelled()) {
      try {
        poll();
      } catch (Cancellation.CancelledException e) {
        return;
      } catch (RuntimeException e) {
        LOG.debug("watching domains on {}: {}", hv.uri(), e.getMessage());
      }
      if (stop.sleep(interval)) {
        return;
      }
    }
  }

  /** Ends {@link #run}. */
  void stop() {
    stop.cancel();
  }

  /** One look: one call while every watched domain runs. */
  void poll() {
    if (watched.isEmpty()) {
      return;
    }
    Set<String> running = new HashSet<>(hv.runningDomainNames());
    for (Map.Entry<String, Watched> entry : watched.entrySet()) {
      Watched domain = entry.getValue();
      if (running.contains(entry.getKey()) || domain.dead.isPresent()) {
        continue;
      }
      Optional<RunState> state = hv.runState(entry.getKey());
      if (state.isPresent() && !state.get().dead()) {
        continue; // paused by someone, shutting down, suspended: the timeout decides
      }
      domain.dead = Optional.of(new Dead(state));
      domain.wait.cancel();
    }
  }
}
