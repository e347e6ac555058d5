package io.kubitect.core;

/**
 * Receives the typed events of applies and destroys. Each listener gets its events in order, one at
 * a time, on a thread of its own, so it needs no locking and a slow listener never slows the hosts'
 * workers; an apply returns once its events were delivered. A listener that throws is logged and
 * keeps receiving.
 */
@FunctionalInterface
public interface KubitectListener {
  /** One event. */
  void onEvent(KubitectEvent event);
}
