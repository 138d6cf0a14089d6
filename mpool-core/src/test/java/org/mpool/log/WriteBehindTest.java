package org.mpool.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Write-outs run on a background thread of their own (a daemon: it never keeps a process
 * alive), except on a thread that asked for them inline, where they run at once, in order.
 */
class WriteBehindTest {

    @Test
    void aWriteOutRunsOnADaemonWriterThread() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        WriteBehind.execute(() -> ranOn.complete(Thread.currentThread()));
        Thread writer = ranOn.get(30, TimeUnit.SECONDS);
        assertThat(writer).isNotSameAs(Thread.currentThread());
        assertThat(writer.getName()).isEqualTo("mpool-log-writer");
        assertThat(writer.isDaemon()).as("a daemon").isTrue();
    }

    @Test
    void aThreadThatAsksForInlineWriteOutsRunsThemBeforeExecuteReturns() throws Exception {
        Thread[] ranOn = new Thread[1];
        WriteBehind.inlineOnThisThread(true);
        try {
            WriteBehind.execute(() -> ranOn[0] = Thread.currentThread());
            assertThat(ranOn[0]).as("run inline, at once").isSameAs(Thread.currentThread());
        } finally {
            WriteBehind.inlineOnThisThread(false);
        }
        CompletableFuture<Thread> after = new CompletableFuture<>();
        WriteBehind.execute(() -> after.complete(Thread.currentThread()));
        assertThat(after.get(30, TimeUnit.SECONDS))
                .as("in the background again once inline is off")
                .isNotSameAs(Thread.currentThread());
    }
}
