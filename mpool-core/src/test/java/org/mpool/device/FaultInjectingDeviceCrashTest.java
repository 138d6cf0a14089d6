package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.MemoryDevice;

/** Simulated power loss: after the chosen write, every operation fails with IO. */
class FaultInjectingDeviceCrashTest {
    private static final int BLOCK = 512;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buf = AlignedBuffers.allocate(arena, BLOCK);

    @AfterEach
    void closeArena() {
        arena.close();
    }

    @ParameterizedTest(name = "crash after {0} writes")
    @ValueSource(longs = {0, 1, 5})
    void writeKPlusOneAndEverythingAfterFailWithIo(long k) {
        try (FaultInjectingDevice device = FaultInjectingDevice.forCrashes(new MemoryDevice("m", 1 << 20))) {
            device.crashAfterWrites(k);
            for (long i = 0; i < k; i++) {
                device.write(i * BLOCK, buf);
            }
            assertThat(device.crashed()).isFalse();

            assertIo(() -> device.write(k * BLOCK, buf), "write " + (k + 1));
            assertThat(device.crashed()).isTrue();
            assertThat(device.writeCount()).isEqualTo(k);
            assertThat(device.unflushedWriteCount())
                    .as("the failed write never reached the media")
                    .isEqualTo((int) k);
            assertIo(() -> device.write(0, buf), "a later write");
            assertIo(() -> device.read(0, buf), "a later read");
            assertIo(device::flush, "a later flush");
            assertIo(() -> device.discard(0, BLOCK), "a later discard");
        }
    }

    @Test
    void crashNowFailsTheVeryNextOperation() {
        try (FaultInjectingDevice device = FaultInjectingDevice.forCrashes(new MemoryDevice("m", 1 << 20))) {
            device.write(0, buf);
            device.crashNow();
            assertThat(device.crashed()).isTrue();
            assertIo(() -> device.read(0, buf), "read after crashNow");
            assertIo(() -> device.write(BLOCK, buf), "write after crashNow");
        }
    }

    @Test
    void theImageAfterACrashHoldsWhatWasFlushed() {
        try (FaultInjectingDevice device = FaultInjectingDevice.forCrashes(new MemoryDevice("m", 1 << 20))) {
            device.crashAfterWrites(2);
            device.write(0, BytePatterns.pattern(arena, 0, 4 * BLOCK, 51));
            device.flush();
            device.write(4 * BLOCK, BytePatterns.pattern(arena, 4 * BLOCK, BLOCK, 52));
            assertIo(() -> device.write(8 * BLOCK, buf), "write 3");

            try (MemoryDevice image = device.crashImage(7)) {
                assertThat(BytePatterns.firstMismatch(image.media().asSlice(0, 4 * BLOCK), 0, 51))
                        .isEqualTo(-1);
            }
        }
    }

    @Test
    void theDurableImageHoldsTheFlushedWritesAndNoUnflushedOne() {
        try (FaultInjectingDevice device = FaultInjectingDevice.forCrashes(new MemoryDevice("m", 1 << 20))) {
            device.write(0, BytePatterns.pattern(arena, 0, 4 * BLOCK, 53));
            device.flush();
            device.write(4 * BLOCK, BytePatterns.pattern(arena, 4 * BLOCK, BLOCK, 54));
            device.write(0, BytePatterns.pattern(arena, 0, BLOCK, 55));

            try (MemoryDevice image = device.durableImage()) {
                assertThat(BytePatterns.firstMismatch(image.media().asSlice(0, 4 * BLOCK), 0, 53))
                        .isEqualTo(-1);
                assertThat(image.media().asSlice(4 * BLOCK, BLOCK).mismatch(MemorySegment.ofArray(new byte[BLOCK])))
                        .as("the unflushed write to fresh space is not in the image")
                        .isEqualTo(-1);
            }
        }
    }

    @Test
    void anErrorOnlyDeviceRefusesCrashSimulation() {
        try (FaultInjectingDevice device = FaultInjectingDevice.forErrors(new MemoryDevice("m", 1 << 20))) {
            assertInvalidState(() -> device.crashAfterWrites(3), "crashAfterWrites");
            assertInvalidState(device::crashNow, "crashNow");
            assertInvalidState(() -> device.crashImage(1), "crashImage");
            assertInvalidState(device::durableImage, "durableImage");
            device.write(0, buf);
            assertThat(device.crashed()).isFalse();
        }
    }

    private static void assertIo(ThrowingCallable call, String what) {
        assertThatThrownBy(call).as(what).isInstanceOfSatisfying(MpoolException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.IO);
            assertThat(e.getMessage()).contains("power loss");
        });
    }

    private static void assertInvalidState(ThrowingCallable call, String what) {
        assertThatThrownBy(call)
                .as(what)
                .isInstanceOfSatisfying(
                        MpoolException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.INVALID_STATE));
    }
}
