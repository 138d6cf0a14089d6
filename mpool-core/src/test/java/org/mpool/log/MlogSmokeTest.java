package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.testing.MemoryDevice;

class MlogSmokeTest {
    private static final UUID POOL = new UUID(1, 2);

    @Test
    void appendsReadBackAcrossReopen() {
        try (MemoryDevice dev = new MemoryDevice("mem", 1 << 20)) {
            LogSpec spec = new LogSpec(dev, 4096, 256 * 1024, POOL, 7, 16 * 1024);
            List<byte[]> written = new ArrayList<>();
            Random r = new Random(1);
            try (RecordLog log = RecordLog.format(spec, 1, true)) {
                for (int i = 0; i < 300; i++) {
                    byte[] rec = new byte[r.nextInt(i % 10 == 0 ? 9000 : 200)];
                    r.nextBytes(rec);
                    log.append(rec, i % 3 == 0);
                    written.add(rec);
                }
                log.flush();
                assertThat(log.reader().readAll()).containsExactlyElementsOf(written);
            }
            try (RecordLog log = RecordLog.open(spec)) {
                assertThat(log.reader().readAll()).containsExactlyElementsOf(written);
                byte[] more = {1, 2, 3};
                log.append(more, true);
                written.add(more);
            }
            try (RecordLog log = RecordLog.open(spec)) {
                assertThat(log.reader().readAll()).containsExactlyElementsOf(written);
                long rem = log.remaining();
                log.append(new byte[(int) rem], false);
                assertThat(log.remaining()).as("after filling to remaining()").isLessThanOrEqualTo(0);
                while (log.remaining() >= 0) { // what is left takes records of exactly remaining() bytes
                    log.append(new byte[(int) log.remaining()], false);
                }
                assertThatThrownBy(() -> log.append(new byte[0], false))
                        .isInstanceOf(MpoolException.class)
                        .extracting(e -> ((MpoolException) e).code())
                        .isEqualTo(ErrorCode.LOG_FULL);
                assertThatThrownBy(() -> log.append(new byte[1], true))
                        .isInstanceOf(MpoolException.class)
                        .extracting(e -> ((MpoolException) e).code())
                        .isEqualTo(ErrorCode.LOG_FULL);
                log.erase();
                assertThat(log.reader().readAll()).isEmpty();
            }
            try (RecordLog log = RecordLog.open(spec)) {
                assertThat(log.reader().readAll()).isEmpty();
                assertThat(log.generation()).isEqualTo(2);
            }
        }
    }

    @Test
    void remainingIsExact() {
        try (MemoryDevice dev = new MemoryDevice("mem", 1 << 20)) {
            for (int cap : new int[] {8192, 3 * 4096, 64 * 1024}) {
                for (int pre = 0; pre < 50; pre++) {
                    LogSpec spec = new LogSpec(dev, 0, cap, POOL, 9, 8192);
                    try (RecordLog log = RecordLog.format(spec, 1, false)) {
                        for (int i = 0; i < pre && log.remaining() > 30; i++) {
                            log.append(new byte[i * 7 % 300], i % 2 == 0);
                        }
                        long rem = log.remaining();
                        assertThatThrownBy(() -> log.append(new byte[(int) rem + 1], false))
                                .extracting(e -> ((MpoolException) e).code())
                                .isEqualTo(ErrorCode.LOG_FULL);
                        log.append(new byte[(int) rem], true);
                    }
                }
            }
        }
    }

    @Test
    void mdcCompacts() {
        try (MemoryDevice dev = new MemoryDevice("mem", 1 << 20)) {
            LogSpec a = new LogSpec(dev, 0, 64 * 1024, POOL, 1, 8192);
            LogSpec b = new LogSpec(dev, 64 * 1024, 64 * 1024, POOL, 2, 8192);
            try (LogPair mdc = LogPair.create(a, b, false)) {
                mdc.append(new byte[] {1}, true);
                mdc.append(new byte[] {2}, true);
                mdc.compactStart();
                mdc.append(new byte[] {3}, false);
                assertThat(mdc.readAll()).containsExactly(new byte[] {1}, new byte[] {2});
                mdc.compactEnd();
                mdc.append(new byte[] {4}, true);
                assertThat(mdc.readAll()).containsExactly(new byte[] {3}, new byte[] {4});
            }
            try (LogPair mdc = LogPair.open(a, b)) {
                assertThat(mdc.readAll()).containsExactly(new byte[] {3}, new byte[] {4});
                mdc.compactStart();
                mdc.append(new byte[] {5}, true);
            }
            try (LogPair mdc = LogPair.open(a, b)) {
                assertThat(mdc.readAll()).containsExactly(new byte[] {3}, new byte[] {4});
            }
        }
    }
}
