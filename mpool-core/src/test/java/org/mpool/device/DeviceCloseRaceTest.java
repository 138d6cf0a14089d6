package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;

/**
 * Closing a device while other threads write to it never lets a write reach another file: the
 * close waits for the calls in flight (IoGate) before the descriptor's number can be reused.
 * Each round, writer threads hammer a device, the main thread closes it and at once creates a
 * victim file (the lowest free descriptor number: likely the one just closed) and writes it
 * full of a pattern through the same kind of descriptor; after the writers stop, the victim must
 * hold only its pattern. Before the gate, about one round in 150 found a stray page in it.
 */
class DeviceCloseRaceTest {
    private static final int ROUNDS = 400;
    private static final int WRITERS = 3;
    private static final int VICTIM_BYTES = 256 * 1024;

    @TempDir
    Path dir;

    @Test
    void noWriteOfAClosedDeviceReachesTheFileThatReusedItsDescriptor() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ones = AlignedBuffers.allocate(arena, 4096).fill((byte) 0x11);
            MemorySegment pattern = AlignedBuffers.allocate(arena, VICTIM_BYTES).fill((byte) 0x7e);
            for (int round = 0; round < ROUNDS; round++) {
                Path devicePath = dir.resolve("device-" + round + ".img");
                NativeDevice device = NativeDevice.createFile(devicePath, 1 << 20, NativeDevice.OpenOptions.SHARED);
                CountDownLatch started = new CountDownLatch(WRITERS);
                AtomicReference<Throwable> unexpected = new AtomicReference<>();
                List<Thread> writers = new ArrayList<>();
                for (int t = 0; t < WRITERS; t++) {
                    Thread w = new Thread(() -> {
                        started.countDown();
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        try {
                            while (true) {
                                device.write(rnd.nextInt(VICTIM_BYTES / 4096) * 4096L, ones);
                            }
                        } catch (MpoolException e) {
                            if (e.code() != ErrorCode.INVALID_STATE) {
                                unexpected.set(e); // anything but "closed" is a failure of its own
                            }
                        }
                    });
                    w.start();
                    writers.add(w);
                }
                started.await();
                device.close();
                Path victimPath = dir.resolve("victim-" + round + ".img");
                try (NativeDevice victim =
                        NativeDevice.createFile(victimPath, VICTIM_BYTES, NativeDevice.OpenOptions.SHARED)) {
                    victim.write(0, pattern);
                    for (Thread w : writers) {
                        w.join();
                    }
                    MemorySegment read = AlignedBuffers.allocate(arena, VICTIM_BYTES);
                    victim.read(0, read);
                    assertThat(read.mismatch(pattern))
                            .as("round %d: first byte of the victim that is not its own", round)
                            .isEqualTo(-1);
                }
                assertThat(unexpected.get())
                        .as("round %d: a writer's failure", round)
                        .isNull();
                Files.delete(devicePath);
                Files.delete(victimPath);
            }
        }
    }
}
