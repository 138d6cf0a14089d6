package org.mpool.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Zeroed memory from an anonymous private mapping: the kernel hands out zero pages on first
 * touch, so a large device costs only the pages written. An arena's allocation zeroes every
 * byte up front; crash explorers make thousands of device images a second, mostly zeros, and
 * that zeroing was a third of their time. Falls back to the arena where mmap is not there.
 */
@SuppressWarnings("restricted") // binds mmap and munmap, and gives the mapping its size and its munmap
final class AnonymousMemory {
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;

    static {
        MethodHandle mmap = null;
        MethodHandle munmap = null;
        try {
            Linker linker = Linker.nativeLinker();
            mmap = linker.downcallHandle(
                    linker.defaultLookup().find("mmap").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
            munmap = linker.downcallHandle(
                    linker.defaultLookup().find("munmap").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
        } catch (RuntimeException | LinkageError e) {
            // not Linux, or no native access: the arena's zeroed memory does the same, slower
        }
        MMAP = mmap;
        MUNMAP = munmap;
    }

    private AnonymousMemory() {}

    /** {@code bytes} of zeros aligned to the page, unmapped when {@code arena} closes. */
    static MemorySegment allocate(Arena arena, long bytes, long alignment) {
        if (MMAP == null || alignment > 4096) {
            return arena.allocate(bytes, alignment);
        }
        long address;
        try {
            address =
                    (long) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            return arena.allocate(bytes, alignment);
        }
        if (address == -1L) {
            return arena.allocate(bytes, alignment);
        }
        return MemorySegment.ofAddress(address).reinterpret(bytes, arena, s -> unmap(address, bytes));
    }

    private static void unmap(long address, long bytes) {
        try {
            int ignored = (int) MUNMAP.invokeExact(address, bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
