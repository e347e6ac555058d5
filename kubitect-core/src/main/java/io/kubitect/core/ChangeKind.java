package io.kubitect.core;

/** Whether a value or element appears, disappears or changes. */
public enum ChangeKind {
  CREATE,
  MODIFY,
  DELETE
}
