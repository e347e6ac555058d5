package io.kubitect.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to each listener in the order they were published, from one thread per listener:
 * executors report from many threads at once, and a listener should need no locking nor slow a
 * host's worker down.
 */
final class EventDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** How long an apply waits at its end for slow listeners before returning anyway. */
  private static final Duration FLUSH_LIMIT = Duration.ofSeconds(10);

  private record Channel(KubitectListener listener, ExecutorService thread) {}

  private final List<Channel> channels = new ArrayList<>();

  EventDispatcher(List<KubitectListener> listeners) {
    for (KubitectListener listener : listeners) {
      ExecutorService thread =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "kubitect-events-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      channels.add(new Channel(listener, thread));
    }
  }

  /** Queues {@code event} for every listener; synchronized so all see one order. */
  synchronized void publish(KubitectEvent event) {
    for (Channel channel : channels) {
      if (channel.thread().isShutdown()) {
        continue;
      }
      channel
          .thread()
          .execute(
              () -> {
                try {
                  channel.listener().onEvent(event);
                } catch (RuntimeException e) {
                  LOG.warn("listener {} threw on {}; ignored", channel.listener(), event, e);
                }
              });
    }
  }

  /** Waits until every event published so far was delivered (bounded; never interrupted). */
  void flush() {
    List<Future<?>> marks = new ArrayList<>();
    synchronized (this) {
      for (Channel channel : channels) {
        if (!channel.thread().isShutdown()) {
          marks.add(channel.thread().submit(() -> {}));
        }
      }
    }
    long deadline = System.nanoTime() + FLUSH_LIMIT.toNanos();
    boolean interrupted = false;
    for (Future<?> mark : marks) {
      while (true) {
        try {
          mark.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          break;
        } catch (InterruptedException e) {
          // A cancelled apply still hands its last events over; the interrupt is kept.
          interrupted = true;
        } catch (TimeoutException e) {
          LOG.warn("a listener is still busy after {}; not waiting for it", FLUSH_LIMIT);
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    flush();
    synchronized (this) {
      channels.forEach(c -> c.thread().shutdown());
    }
  }
}
