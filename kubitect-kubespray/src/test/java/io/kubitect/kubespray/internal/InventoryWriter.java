package io.kubitect.kubespray.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes rendered files into a directory (golden-file updates). */
record InventoryWriter(Map<String, String> files) {
  void writeTo(Path dir) throws IOException {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path target = dir.resolve(f.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, f.getValue());
    }
  }
}
