package io.kubitect.testing;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Whether this machine can run a KVM guest, found through the KVM API (see {@link EnabledIfKvm} for
 * the steps). The guest is the smallest there is: one page of memory mapped at the top of the 4 GiB
 * space, where an x86 vCPU starts after reset ({@code 0xfffffff0}), holding {@code hlt}.
 */
final class KvmProbe {
  /** The outcome: whether a guest ran, and what was checked or why not. */
  record Result(boolean usable, String detail) {}

  // ioctl numbers of <linux/kvm.h> (_IO(0xAE, n), and _IOW for the memory region)
  static final long KVM_GET_API_VERSION = 0xAE00L;
  static final long KVM_CREATE_VM = 0xAE01L;
  static final long KVM_GET_VCPU_MMAP_SIZE = 0xAE04L;
  static final long KVM_CREATE_VCPU = 0xAE41L;
  static final long KVM_SET_TSS_ADDR = 0xAE47L;
  static final long KVM_SET_USER_MEMORY_REGION = 0x4020AE46L;
  static final long KVM_RUN = 0xAE80L;
  static final int KVM_API_VERSION = 12;
  static final int KVM_EXIT_HLT = 5;

  private static final int O_RDWR = 02;
  private static final int O_CLOEXEC = 02000000;
  private static final int PROT_READ_WRITE = 0x1 | 0x2;
  private static final int MAP_SHARED = 0x01;
  private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
  private static final long PAGE = 0x1000L;
  private static final long GUEST_PAGE = 0xFFFFF000L; // the page of the reset vector
  private static final long TSS = 0xFEFFD000L; // three pages below, as QEMU places it
  private static final byte HLT = (byte) 0xF4;

  /** The C library functions the probe calls. */
  interface LibC extends Library {
    int open(String path, int flags);

    int close(int fd);

    int ioctl(int fd, NativeLong request, NativeLong argument);

    int ioctl(int fd, NativeLong request, Pointer argument);

    Pointer mmap(
        @Nullable Pointer address,
        NativeLong length,
        int protection,
        int flags,
        int fd,
        NativeLong offset);

    int munmap(Pointer address, NativeLong length);

    String strerror(int errno);
  }

  private static volatile @Nullable Result cached;

  private KvmProbe() {}

  /** The probe of {@code /dev/kvm}, made once per JVM. */
  static Result cached() {
    Result result = cached;
    if (result == null) {
      synchronized (KvmProbe.class) {
        result = cached;
        if (result == null) {
          result = check(Path.of("/dev/kvm"), Duration.ofSeconds(10));
          cached = result;
        }
      }
    }
    return result;
  }

  /** Probes {@code device}, giving up after {@code timeout}; never throws. */
  static Result check(Path device, Duration timeout) {
    if (!Files.exists(device)) {
      return new Result(false, device + " does not exist (no KVM module, or not passed through)");
    }
    CompletableFuture<Result> probe = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                probe.complete(run(device));
              } catch (RuntimeException | LinkageError e) {
                probe.complete(new Result(false, "the KVM API could not be called: " + e));
              }
            },
            "kubitect-kvm-probe");
    thread.setDaemon(true); // a KVM_RUN that never returns must not keep the JVM alive
    thread.start();
    try {
      return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return new Result(false, "the KVM check did not finish within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      return new Result(false, "the KVM check failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted while checking KVM");
    }
  }

  private static Result run(Path device) {
    LibC libc = Native.load("c", LibC.class);
    List<Runnable> release = new ArrayList<>();
    try {
      int kvm = libc.open(device.toString(), O_RDWR | O_CLOEXEC);
      if (kvm < 0) {
        return failed(libc, "opening " + device + " for reading and writing");
      }
      release.add(0, () -> libc.close(kvm));
      int api = libc.ioctl(kvm, new NativeLong(KVM_GET_API_VERSION), new NativeLong(0));
      if (api < 0) {
        return failed(libc, "KVM_GET_API_VERSION on " + device);
      }
      if (api != KVM_API_VERSION) {
        return new Result(false, "KVM API version " + api + ", not " + KVM_API_VERSION);
      }
      int vm = libc.ioctl(kvm, new NativeLong(KVM_CREATE_VM), new NativeLong(0));
      if (vm < 0) {
        return failed(libc, "KVM_CREATE_VM");
      }
      release.add(0, () -> libc.close(vm));
      boolean x86 = isX86();
      if (x86 && libc.ioctl(vm, new NativeLong(KVM_SET_TSS_ADDR), new NativeLong(TSS)) < 0) {
        return failed(libc, "KVM_SET_TSS_ADDR");
      }
      if (x86) {
        Pointer guest =
            libc.mmap(
                null,
                new NativeLong(PAGE),
                PROT_READ_WRITE,
                MAP_PRIVATE_ANONYMOUS,
                -1,
                new NativeLong(0));
        if (mapFailed(guest)) {
          return failed(libc, "mapping the guest's memory");
        }
        Pointer mapped = guest;
        release.add(0, () -> libc.munmap(mapped, new NativeLong(PAGE)));
        guest.setByte(0xFF0, HLT);
        Memory region = new Memory(32); // struct kvm_userspace_memory_region
        region.setInt(0, 0); // slot
        region.setInt(4, 0); // flags
        region.setLong(8, GUEST_PAGE); // guest_phys_addr
        region.setLong(16, PAGE); // memory_size
        region.setLong(24, Pointer.nativeValue(guest)); // userspace_addr
        if (libc.ioctl(vm, new NativeLong(KVM_SET_USER_MEMORY_REGION), region) < 0) {
          return failed(libc, "KVM_SET_USER_MEMORY_REGION");
        }
      }
      int vcpu = libc.ioctl(vm, new NativeLong(KVM_CREATE_VCPU), new NativeLong(0));
      if (vcpu < 0) {
        return failed(libc, "KVM_CREATE_VCPU");
      }
      release.add(0, () -> libc.close(vcpu));
      if (!x86) {
        return new Result(
            true,
            "KVM creates a VM and a vCPU; running a guest is checked on x86-64 only, not on "
                + System.getProperty("os.arch"));
      }
      int size = libc.ioctl(kvm, new NativeLong(KVM_GET_VCPU_MMAP_SIZE), new NativeLong(0));
      if (size < 64) {
        return failed(libc, "KVM_GET_VCPU_MMAP_SIZE (" + size + ")");
      }
      Pointer state =
          libc.mmap(
              null, new NativeLong(size), PROT_READ_WRITE, MAP_SHARED, vcpu, new NativeLong(0));
      if (mapFailed(state)) {
        return failed(libc, "mapping the vCPU's kvm_run");
      }
      release.add(0, () -> libc.munmap(state, new NativeLong(size)));
      if (libc.ioctl(vcpu, new NativeLong(KVM_RUN), new NativeLong(0)) < 0) {
        return failed(libc, "KVM_RUN");
      }
      int exit = state.getInt(8); // struct kvm_run: 8 bytes of flags and padding, then exit_reason
      if (exit != KVM_EXIT_HLT) {
        return new Result(
            false,
            "a one-instruction guest (hlt) did not halt: KVM_RUN exited with reason "
                + exit
                + exitName(exit)
                + (exit == 9
                    ? ", hardware entry failure 0x" + Long.toHexString(state.getLong(32))
                    : ""));
      }
      return new Result(true, "a KVM guest ran (hlt, then KVM_EXIT_HLT) through " + device);
    } finally {
      release.forEach(Runnable::run);
    }
  }

  private static String exitName(int exit) {
    return switch (exit) {
      case 0 -> " (UNKNOWN)";
      case 2 -> " (IO)";
      case 6 -> " (MMIO)";
      case 8 -> " (SHUTDOWN)";
      case 9 -> " (FAIL_ENTRY)";
      case 17 -> " (INTERNAL_ERROR)";
      default -> "";
    };
  }

  private static boolean isX86() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return arch.equals("amd64") || arch.equals("x86_64");
  }

  private static boolean mapFailed(@Nullable Pointer pointer) {
    return pointer == null || Pointer.nativeValue(pointer) == -1L;
  }

  private static Result failed(LibC libc, String what) {
    int errno = Native.getLastError();
    String reason = Optional.ofNullable(libc.strerror(errno)).orElse("error " + errno);
    return new Result(false, what + " failed: " + reason + " (errno " + errno + ")");
  }
}
