package org.mpool.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls mpool makes, as FFM downcalls. Every call captures {@code errno} right at
 * the call (nothing else is reliable: the JVM makes system calls of its own) and returns it
 * encoded as a negative result, so callers never allocate or consult thread state to learn why
 * a call failed: {@code r < 0} means failure and {@code (int) -r} is the errno.
 */
public final class LibC {
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_CLOEXEC = 02000000;
    /** O_DIRECT differs between architectures. */
    public static final int O_DIRECT = System.getProperty("os.arch").equals("aarch64") ? 0200000 : 040000;
    /** O_DIRECTORY too (it and O_DIRECT trade places on aarch64). */
    public static final int O_DIRECTORY = System.getProperty("os.arch").equals("aarch64") ? 040000 : 0200000;

    public static final int SEEK_END = 2;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MADV_NORMAL = 0;
    public static final int MADV_RANDOM = 1;
    public static final int MADV_SEQUENTIAL = 2;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_DONTNEED = 4;
    public static final int MADV_COLD = 20;
    public static final int MADV_PAGEOUT = 21;
    public static final int MADV_HUGEPAGE = 14;
    public static final int MADV_POPULATE_READ = 22;
    public static final int POSIX_FADV_WILLNEED = 3;
    public static final int POSIX_FADV_DONTNEED = 4;
    private static final int SC_PAGESIZE = 30;

    public static final long BLKGETSIZE64 = 0x80081272L;
    public static final long BLKDISCARD = 0x1277L;
    public static final long BLKSSZGET = 0x1268L;
    public static final long BLKPBSZGET = 0x127bL;
    public static final long BLKIOOPT = 0x1279L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** One capture segment per thread: downcalls stay allocation-free. */
    private static final ThreadLocal<MemorySegment> CALL_STATE_SEGMENT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private static final MethodHandle OPEN = downcall(
            "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PREAD =
            downcall("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE =
            downcall("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FDATASYNC = downcall("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FSYNC = downcall("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FALLOCATE =
            downcall("fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FTRUNCATE =
            downcall("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle LSEEK =
            downcall("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle FLOCK = downcall("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CHMOD = downcall("chmod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle IOCTL = downcall(
            "ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));

    private static final MethodHandle MMAP = downcall(
            "mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MADVISE =
            downcall("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MINCORE =
            downcall("mincore", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle POSIX_FADVISE =
            downcall("posix_fadvise", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SYSCONF = downcall("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));

    /** The size of a virtual memory page: the unit of mmap offsets, madvise and mincore. */
    public static final long PAGE_SIZE = sysconf(SC_PAGESIZE);

    private LibC() {}

    @SuppressWarnings("restricted") // the one place native functions are bound
    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        MemorySegment symbol =
                LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private static long result(long r, MemorySegment state) {
        return r >= 0 ? r : -(int) ERRNO.get(state, 0L);
    }

    /** open(2). Returns the fd, or -errno. */
    public static int open(String path, int flags, int mode) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try (Arena arena = Arena.ofConfined()) {
            return (int) result((int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, mode), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int close(int fd) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return (int) result((int) CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** pread(2) into {@code buf}. Returns bytes read, or -errno. */
    public static long pread(int fd, MemorySegment buf, long count, long offset) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return result((long) PREAD.invokeExact(state, fd, buf, count, offset), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** pwrite(2) from {@code buf}. Returns bytes written, or -errno. */
    public static long pwrite(int fd, MemorySegment buf, long count, long offset) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return result((long) PWRITE.invokeExact(state, fd, buf, count, offset), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int fdatasync(int fd) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return (int) result((int) FDATASYNC.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** fsync(2): for directories, whose entries fdatasync need not cover. */
    public static int fsync(int fd) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return (int) result((int) FSYNC.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int fallocate(int fd, int mode, long offset, long length) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return (int) result((int) FALLOCATE.invokeExact(state, fd, mode, offset, length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int ftruncate(int fd, long length) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return (int) result((int) FTRUNCATE.invokeExact(state, fd, length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** lseek(2). Returns the new offset, or -errno. */
    public static long lseek(int fd, long offset, int whence) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return result((long) LSEEK.invokeExact(state, fd, offset, whence), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int flock(int fd, int operation) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return (int) result((int) FLOCK.invokeExact(state, fd, operation), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** chmod(2): the only way to set the sticky bit. Returns 0 or -errno. */
    public static int chmod(String path, int mode) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try (Arena arena = Arena.ofConfined()) {
            return (int) result((int) CHMOD.invokeExact(state, arena.allocateFrom(path), mode), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(2) with a pointer argument. Returns the ioctl's result, or -errno. */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return (int) result((int) IOCTL.invokeExact(state, fd, request, arg), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * mmap(2). Addresses are plain longs, never segments of an arena: a downcall that took a
     * segment would keep its arena acquired, and a concurrent close of the map would then fail.
     * Returns the address, or -errno.
     */
    public static long mmap(long address, long length, int prot, int flags, int fd, long offset) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            long r = ((MemorySegment)
                            MMAP.invokeExact(state, MemorySegment.ofAddress(address), length, prot, flags, fd, offset))
                    .address();
            return r == -1L ? -(int) ERRNO.get(state, 0L) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int munmap(long address, long length) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return (int) result((int) MUNMAP.invokeExact(state, MemorySegment.ofAddress(address), length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int madvise(long address, long length, int advice) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return (int)
                    result((int) MADVISE.invokeExact(state, MemorySegment.ofAddress(address), length, advice), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** mincore(2): one byte per page of {@code [address, address + length)} into {@code vector}. */
    public static int mincore(long address, long length, MemorySegment vector) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return (int)
                    result((int) MINCORE.invokeExact(state, MemorySegment.ofAddress(address), length, vector), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** posix_fadvise(2), which returns its error number instead of setting errno: 0, or -errno. */
    public static int posixFadvise(int fd, long offset, long length, int advice) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            return -(int) POSIX_FADVISE.invokeExact(state, fd, offset, length, advice);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static long sysconf(int name) {
        MemorySegment state = CALL_STATE_SEGMENT.get();
        try {
            long r = (long) SYSCONF.invokeExact(state, name);
            return r > 0 ? r : 4096;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Reads a {@code u64} result of an ioctl such as BLKGETSIZE64; -errno on failure. */
    public static long ioctlLong(int fd, long request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            int r = ioctl(fd, request, out);
            return r < 0 ? r : out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Reads an {@code int} result of an ioctl such as BLKSSZGET; -errno on failure. */
    public static long ioctlInt(int fd, long request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            int r = ioctl(fd, request, out);
            return r < 0 ? r : out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
