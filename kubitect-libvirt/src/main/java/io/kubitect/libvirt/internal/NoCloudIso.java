package io.kubitect.libvirt.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a NoCloud seed: an ISO 9660 image with a Joliet tree, volume label {@code cidata}, holding
 * a few small files in its root directory. No external tool is involved.
 *
 * <p>Layout (2048-byte sectors): 0-15 system area; 16 primary volume descriptor; 17 Joliet
 * supplementary descriptor (UCS-2 level 3); 18 terminator; 19-22 the little- and big-endian path
 * tables of both trees; 23 the ISO 9660 root directory (8.3 upper-case names such as {@code
 * USER_DAT.;1}); 24 the Joliet root directory (the real names, {@code user-data}); then the file
 * contents. Both trees point at the same contents. Timestamps are fixed, so equal files give equal
 * images.
 */
final class NoCloudIso {
  static final String LABEL = "cidata";
  private static final int SECTOR = 2048;
  private static final int PVD = 16;
  private static final int SVD = 17;
  private static final int TERMINATOR = 18;
  private static final int PATH_L = 19;
  private static final int PATH_M = 20;
  private static final int JPATH_L = 21;
  private static final int JPATH_M = 22;
  private static final int ROOT = 23;
  private static final int JROOT = 24;
  private static final int FIRST_FILE = 25;
  private static final int PATH_TABLE_SIZE = 10;

  private NoCloudIso() {}

  /** The image of {@code files} (name to content), at most a directory sector's worth. */
  static byte[] build(Map<String, byte[]> files) {
    Map<String, byte[]> sorted = new TreeMap<>(files);
    List<Entry> entries = new ArrayList<>();
    int sector = FIRST_FILE;
    java.util.Set<String> isoNames = new java.util.HashSet<>();
    for (Map.Entry<String, byte[]> file : sorted.entrySet()) {
      if (!isoNames.add(isoName(file.getKey()))) {
        throw new IllegalArgumentException(
            "two files share ISO 9660 name " + isoName(file.getKey()));
      }
      entries.add(new Entry(file.getKey(), isoName(file.getKey()), file.getValue(), sector));
      sector += Math.max(1, (file.getValue().length + SECTOR - 1) / SECTOR);
    }
    int totalSectors = sector;
    ByteBuffer image = ByteBuffer.allocate(totalSectors * SECTOR);

    descriptor(image, PVD, 1, false, totalSectors);
    descriptor(image, SVD, 2, true, totalSectors);
    image.position(TERMINATOR * SECTOR);
    image.put((byte) 255).put("CD001".getBytes(StandardCharsets.US_ASCII)).put((byte) 1);

    pathTable(image, PATH_L, ROOT, ByteOrder.LITTLE_ENDIAN);
    pathTable(image, PATH_M, ROOT, ByteOrder.BIG_ENDIAN);
    pathTable(image, JPATH_L, JROOT, ByteOrder.LITTLE_ENDIAN);
    pathTable(image, JPATH_M, JROOT, ByteOrder.BIG_ENDIAN);

    List<Entry> isoOrder = new ArrayList<>(entries);
    isoOrder.sort(Comparator.comparing(Entry::isoName));
    directory(image, ROOT, isoOrder, false);
    directory(image, JROOT, entries, true); // TreeMap order is UCS-2 order for these names

    for (Entry entry : entries) {
      image.position(entry.sector() * SECTOR);
      image.put(entry.content());
    }
    return image.array();
  }

  private static final class Entry {
    private final String name;
    private final String isoName;
    private final byte[] content;
    private final int sector;

    Entry(String name, String isoName, byte[] content, int sector) {
      this.name = name;
      this.isoName = isoName;
      this.content = content;
      this.sector = sector;
    }

    String name() {
      return name;
    }

    String isoName() {
      return isoName;
    }

    byte[] content() {
      return content;
    }

    int sector() {
      return sector;
    }
  }

  /** An ISO 9660 level 1 name: upper case, {@code [A-Z0-9_]}, 8.3, version 1. */
  static String isoName(String name) {
    String upper = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_.]", "_");
    int dot = upper.lastIndexOf('.');
    String base = (dot < 0 ? upper : upper.substring(0, dot)).replace('.', '_');
    String ext = dot < 0 ? "" : upper.substring(dot + 1);
    base = base.substring(0, Math.min(8, base.length()));
    ext = ext.substring(0, Math.min(3, ext.length()));
    return base + "." + ext + ";1";
  }

  private static void descriptor(ByteBuffer image, int sector, int type, boolean joliet, int size) {
    int at = sector * SECTOR;
    image.position(at);
    image.put((byte) type).put("CD001".getBytes(StandardCharsets.US_ASCII)).put((byte) 1);
    image.put((byte) 0);
    text(image, at + 8, 32, "", joliet); // system identifier
    text(image, at + 40, 32, LABEL, joliet); // volume identifier
    both32(image, at + 80, size);
    if (joliet) {
      image.position(at + 88);
      image.put(new byte[] {0x25, 0x2F, 0x45}); // %/E: UCS-2 level 3
    }
    both16(image, at + 120, 1); // volume set size
    both16(image, at + 124, 1); // volume sequence number
    both16(image, at + 128, SECTOR);
    both32(image, at + 132, PATH_TABLE_SIZE);
    image.order(ByteOrder.LITTLE_ENDIAN).putInt(at + 140, joliet ? JPATH_L : PATH_L);
    image.order(ByteOrder.BIG_ENDIAN).putInt(at + 148, joliet ? JPATH_M : PATH_M);
    image.position(at + 156);
    record(image, joliet ? JROOT : ROOT, SECTOR, true, new byte[] {0});
    text(image, at + 190, 128, "", joliet); // volume set
    text(image, at + 318, 128, "", joliet); // publisher
    text(image, at + 446, 128, "", joliet); // data preparer
    text(image, at + 574, 128, "KUBITECT", joliet); // application
    text(image, at + 702, 37, "", joliet);
    text(image, at + 739, 37, "", joliet);
    text(image, at + 776, 37, "", joliet);
    byte[] date = "2000010100000000".getBytes(StandardCharsets.US_ASCII);
    for (int field = 0; field < 4; field++) {
      image.position(at + 813 + 17 * field);
      if (field == 2) {
        image.put("0000000000000000".getBytes(StandardCharsets.US_ASCII)); // never expires
      } else {
        image.put(date);
      }
      image.put((byte) 0); // GMT
    }
    image.put(at + 881, (byte) 1); // file structure version
  }

  /** A space-padded text field: ASCII, or UCS-2 big-endian for Joliet. */
  private static void text(ByteBuffer image, int at, int length, String value, boolean joliet) {
    image.position(at);
    if (joliet) {
      for (int i = 0; i + 1 < length; i += 2) {
        char c = i / 2 < value.length() ? value.charAt(i / 2) : ' ';
        image.put((byte) (c >> 8)).put((byte) c);
      }
      if (length % 2 == 1) {
        image.put((byte) 0);
      }
    } else {
      for (int i = 0; i < length; i++) {
        image.put((byte) (i < value.length() ? value.charAt(i) : ' '));
      }
    }
  }

  private static void pathTable(ByteBuffer image, int sector, int root, ByteOrder order) {
    int at = sector * SECTOR;
    image.put(at, (byte) 1); // identifier length
    image.put(at + 1, (byte) 0);
    image.order(order).putInt(at + 2, root);
    image.order(order).putShort(at + 6, (short) 1); // parent: itself
    image.put(at + 8, (byte) 0); // identifier: root
    image.order(ByteOrder.BIG_ENDIAN);
  }

  private static void directory(ByteBuffer image, int sector, List<Entry> entries, boolean joliet) {
    image.position(sector * SECTOR);
    record(image, sector, SECTOR, true, new byte[] {0});
    record(image, sector, SECTOR, true, new byte[] {1});
    for (Entry entry : entries) {
      byte[] id =
          joliet
              ? entry.name().getBytes(StandardCharsets.UTF_16BE)
              : entry.isoName().getBytes(StandardCharsets.US_ASCII);
      record(image, entry.sector(), entry.content().length, false, id);
    }
    if (image.position() > (sector + 1) * SECTOR) {
      throw new IllegalArgumentException("too many files for a one-sector directory");
    }
  }

  /** A directory record at the buffer's position. */
  private static void record(ByteBuffer image, int extent, int length, boolean dir, byte[] id) {
    int size = 33 + id.length + (id.length % 2 == 0 ? 1 : 0);
    int at = image.position();
    image.put(at, (byte) size);
    image.put(at + 1, (byte) 0);
    both32(image, at + 2, extent);
    both32(image, at + 10, length);
    byte[] date = {100, 1, 1, 0, 0, 0, 0}; // 2000-01-01 00:00:00 GMT
    for (int i = 0; i < date.length; i++) {
      image.put(at + 18 + i, date[i]);
    }
    image.put(at + 25, (byte) (dir ? 2 : 0));
    image.put(at + 26, (byte) 0);
    image.put(at + 27, (byte) 0);
    both16(image, at + 28, 1);
    image.put(at + 32, (byte) id.length);
    for (int i = 0; i < id.length; i++) {
      image.put(at + 33 + i, id[i]);
    }
    image.position(at + size);
  }

  private static void both32(ByteBuffer image, int at, int value) {
    image.order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    image.order(ByteOrder.BIG_ENDIAN).putInt(at + 4, value);
  }

  private static void both16(ByteBuffer image, int at, int value) {
    image.order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
    image.order(ByteOrder.BIG_ENDIAN).putShort(at + 2, (short) value);
  }
}
