package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.MemoryDevice;

/**
 * An MDC its client filled still compacts: the active log keeps its last block for the
 * record {@code compactStart} writes there (OTHER_FORMATTED, docs/FORMAT.md §4), from the
 * moment the MDC is created or opened. Without it a full MDC could never shrink again.
 */
class MdcFullLogCompactsTest {
    private static final byte[] LIVE = {4, 2};

    @Test
    void aNewMdcFilledToTheBrimCompacts() {
        try (MemoryDevice mem = new MemoryDevice("full", 16L * TestLogs.BLOCK)) {
            MdcLogs logs = MdcLogs.halves(mem, 2);
            try (LogPair mdc = logs.create()) {
                fillAndCompact(mdc);
                // The new log keeps its reserve after the end marker went into it: full again, it compacts again.
                fillAndCompact(mdc);
            }
            try (LogPair mdc = logs.open()) {
                assertThat(mdc.readAll()).containsExactly(LIVE);
            }
        }
    }

    @Test
    void anOpenedMdcFilledToTheBrimCompacts() {
        try (MemoryDevice mem = new MemoryDevice("full", 16L * TestLogs.BLOCK)) {
            MdcLogs logs = MdcLogs.halves(mem, 2);
            logs.create().close();
            try (LogPair mdc = logs.open()) {
                fillAndCompact(mdc);
            }
            try (LogPair mdc = logs.open()) {
                assertThat(mdc.readAll()).containsExactly(LIVE);
            }
        }
    }

    /**
     * A compaction whose state filled the new log puts its end marker into the reserved block;
     * the client's next append is refused there, and the MDC still compacts.
     */
    @Test
    void afterACompactionThatFilledItsLogOnlyTheMdcWritesInTheReserve() {
        try (MemoryDevice mem = new MemoryDevice("full", 16L * TestLogs.BLOCK)) {
            MdcLogs logs = MdcLogs.halves(mem, 2);
            try (LogPair mdc = logs.create()) {
                mdc.compactStart();
                byte[] state = new byte[(int) mdc.remaining()];
                mdc.append(state, false);
                mdc.compactEnd();
                assertLogFull(mdc);
                mdc.compactStart();
                mdc.append(LIVE, false);
                mdc.compactEnd();
            }
            try (LogPair mdc = logs.open()) {
                assertThat(mdc.readAll()).containsExactly(LIVE);
            }
        }
    }

    private static void assertLogFull(LogPair mdc) {
        MpoolException full = catchThrowableOfType(MpoolException.class, () -> mdc.append(new byte[0], true));
        assertThat(full).as("an append to the full MDC").isNotNull();
        assertThat(full.code()).isEqualTo(ErrorCode.LOG_FULL);
    }

    /** Appends until not even an empty record fits, then compacts to {@link #LIVE}. */
    private static void fillAndCompact(LogPair mdc) {
        while (mdc.remaining() >= 300) {
            mdc.append(new byte[300], false);
        }
        mdc.append(new byte[(int) mdc.remaining()], false);
        while (mdc.remaining() >= 0) {
            mdc.append(new byte[0], false);
        }
        assertLogFull(mdc);
        mdc.compactStart();
        mdc.append(LIVE, false);
        mdc.compactEnd();
        assertThat(mdc.readAll()).containsExactly(LIVE);
    }
}
