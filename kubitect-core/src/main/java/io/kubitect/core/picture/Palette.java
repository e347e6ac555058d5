package io.kubitect.core.picture;

import io.kubitect.core.NodeRole;

/** The picture's colours: one hue per node role, the same everywhere it appears. */
enum Palette {
  LOAD_BALANCER("#7c3aed", "#f5f3ff", "#5b21b6"),
  MASTER("#2563eb", "#eff6ff", "#1e40af"),
  WORKER("#0d9488", "#f0fdfa", "#115e59"),
  NETWORK("#475569", "#f8fafc", "#334155"),
  WARNING("#dc2626", "#fef2f2", "#b91c1c"),
  OK("#16a34a", "#f0fdf4", "#166534");

  static final String DARK = "#0f172a";
  static final String MUTED = "#475569";
  static final String HOST_FILL = "#f8fafc";
  static final String HOST_STROKE = "#94a3b8";
  static final String RULE = "#cbd5e1";

  /** Borders, bars and markers. */
  final String strong;

  /** Box backgrounds. */
  final String tint;

  /** Text in the hue, dark enough to read on the tint. */
  final String ink;

  Palette(String strong, String tint, String ink) {
    this.strong = strong;
    this.tint = tint;
    this.ink = ink;
  }

  static Palette of(NodeRole role) {
    return switch (role) {
      case LOAD_BALANCER -> LOAD_BALANCER;
      case MASTER -> MASTER;
      case WORKER -> WORKER;
    };
  }
}
