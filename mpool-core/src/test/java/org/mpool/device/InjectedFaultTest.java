package org.mpool.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.spi.BlockDevice;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MemoryDevice;

/** A {@link Fault} fails exactly the chosen operations, with the chosen error code, and no others. */
class InjectedFaultTest {
    private static final int BLOCK = 512;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "WRITE, IO",
        "WRITE, NO_SPACE",
        "READ, IO",
        "FLUSH, IO",
        "FLUSH, NO_SPACE",
        "DISCARD, IO",
        "DISCARD, UNSUPPORTED"
    })
    void failsOperationsSkipToSkipPlusCountOnly(Op op, ErrorCode expected) {
        try (Arena arena = Arena.ofConfined();
                FaultInjectingDevice device = FaultInjectingDevice.forErrors(new MemoryDevice("faulty", 1 << 20))) {
            MemorySegment buf = AlignedBuffers.allocate(arena, BLOCK);
            device.inject(new Fault(op, expected, 2, 3));
            for (int i = 0; i < 7; i++) {
                boolean shouldFail = i >= 2 && i < 5;
                if (shouldFail) {
                    assertThatThrownBy(() -> perform(device, op, buf))
                            .as("%s #%d", op, i)
                            .isInstanceOfSatisfying(MpoolException.class, e -> {
                                assertThat(e.code()).as(e.getMessage()).isEqualTo(expected);
                                assertThat(e.getMessage()).contains("faulty", "injected " + expected);
                            });
                } else {
                    assertThatCode(() -> perform(device, op, buf))
                            .as("%s #%d", op, i)
                            .doesNotThrowAnyException();
                }
                for (Op other : Op.values()) {
                    if (other != op) {
                        assertThatCode(() -> perform(device, other, buf))
                                .as("%s while %s faults", other, op)
                                .doesNotThrowAnyException();
                    }
                }
            }
            assertRoundTrip(device, arena);
        }
    }

    @Test
    void aFailedWriteLeavesTheMediaAsItWas() {
        try (Arena arena = Arena.ofConfined();
                FaultInjectingDevice device = FaultInjectingDevice.forCrashes(new MemoryDevice("m", 1 << 20))) {
            device.write(0, BytePatterns.pattern(arena, 0, 4 * BLOCK, 61));
            device.inject(new Fault(Op.WRITE, ErrorCode.IO, 0, 1));
            assertThatThrownBy(() -> device.write(0, BytePatterns.pattern(arena, 0, 4 * BLOCK, 62)))
                    .isInstanceOf(MpoolException.class);
            assertThat(device.writeCount()).isEqualTo(1);
            assertThat(device.unflushedWriteCount()).isEqualTo(1);
            MemorySegment back = AlignedBuffers.allocate(arena, 4 * BLOCK);
            device.read(0, back);
            assertThat(BytePatterns.firstMismatch(back, 0, 61)).isEqualTo(-1);
        }
    }

    @Test
    void skipCountsFromWhenTheFaultIsInjected() {
        try (Arena arena = Arena.ofConfined();
                FaultInjectingDevice device = FaultInjectingDevice.forErrors(new MemoryDevice("m", 1 << 20))) {
            MemorySegment buf = AlignedBuffers.allocate(arena, BLOCK);
            for (int i = 0; i < 3; i++) {
                device.flush();
            }
            device.inject(new Fault(Op.FLUSH, ErrorCode.IO, 1, 1));
            assertThatCode(device::flush).as("the skipped flush").doesNotThrowAnyException();
            assertThatThrownBy(device::flush).as("the next flush").isInstanceOf(MpoolException.class);
            assertThatCode(device::flush).as("after the fault's count").doesNotThrowAnyException();
            device.read(0, buf);
        }
    }

    @Test
    void anUnboundedCountFailsForeverAfterTheSkip() {
        try (Arena arena = Arena.ofConfined();
                FaultInjectingDevice device = FaultInjectingDevice.forErrors(new MemoryDevice("m", 1 << 20))) {
            MemorySegment buf = AlignedBuffers.allocate(arena, BLOCK);
            device.inject(new Fault(Op.WRITE, ErrorCode.NO_SPACE, 1, Long.MAX_VALUE));
            device.write(0, buf);
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> device.write(0, buf))
                        .as("write %d", i + 1)
                        .isInstanceOfSatisfying(
                                MpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NO_SPACE));
            }
        }
    }

    @Test
    void clearFaultsStopsFurtherFailures() {
        try (Arena arena = Arena.ofConfined();
                FaultInjectingDevice device = FaultInjectingDevice.forErrors(new MemoryDevice("m", 1 << 20))) {
            MemorySegment buf = AlignedBuffers.allocate(arena, BLOCK);
            device.inject(new Fault(Op.READ, ErrorCode.IO, 0, Long.MAX_VALUE));
            assertThatThrownBy(() -> device.read(0, buf)).isInstanceOf(MpoolException.class);
            assertThatThrownBy(() -> device.read(0, buf)).isInstanceOf(MpoolException.class);
            device.clearFaults();
            assertRoundTrip(device, arena);
        }
    }

    private static void perform(BlockDevice device, Op op, MemorySegment buf) {
        switch (op) {
            case READ -> device.read(0, buf);
            case WRITE -> device.write(0, buf);
            case FLUSH -> device.flush();
            case DISCARD -> device.discard(0, buf.byteSize());
        }
    }

    private static void assertRoundTrip(BlockDevice device, Arena arena) {
        long offset = 16 * BLOCK;
        device.write(offset, BytePatterns.pattern(arena, offset, 8 * BLOCK, 63));
        device.flush();
        MemorySegment back = AlignedBuffers.allocate(arena, 8 * BLOCK);
        device.read(offset, back);
        assertThat(BytePatterns.firstMismatch(back, offset, 63))
                .as("round trip after the faults")
                .isEqualTo(-1);
    }
}
