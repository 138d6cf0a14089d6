package org.mpool.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FileTypeHint;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.MergeInfo;
import org.apache.lucene.store.RandomAccessInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.common.Reaper.Advice;

/** The input over a map: reads, clones and slices, closing, advice from the IOContext, readahead, prefetch, residency, deletes of open files. */
class MpoolIndexInputTest {
    static final int MiB = 1 << 20;
    /** The data a 1 MiB mblock holds: its zone less the page checksums at its end. */
    static final int FULL = MiB - 4096;

    @TempDir
    Path dir;

    MpoolDirectory d;

    @BeforeEach
    void open() throws IOException {
        d = new MpoolDirectory(dir, MpoolLockFactory.INSTANCE, MpoolDirectoryReopenTest.small());
    }

    @AfterEach
    void close() throws IOException {
        d.close();
    }

    @Test
    void readsClonesSlicesAndRandomAccessSeeTheFileAcrossMblocks() throws IOException {
        byte[] data = Files2.bytes(1, 3 * MiB + 777);
        Files2.write(d, "f", data);
        IndexInput in = d.openInput("f", IOContext.DEFAULT);
        {
            assertThat(in.length()).isEqualTo(data.length);
            in.seek(MiB - 3); // a long across the first mblock boundary
            assertThat(in.readLong()).isEqualTo(leLong(data, MiB - 3));
            IndexInput clone = in.clone();
            assertThat(clone.getFilePointer()).isEqualTo(MiB + 5);
            assertThat(clone.readByte()).isEqualTo(data[MiB + 5]);
            assertThat(in.getFilePointer()).as("a clone has its own position").isEqualTo(MiB + 5);
            IndexInput slice = in.slice("s", 2 * MiB - 10, MiB);
            IndexInput sliceOfSlice = slice.slice("ss", 5, 100);
            assertThat(sliceOfSlice.readByte()).isEqualTo(data[2 * MiB - 5]);
            RandomAccessInput ra = in.randomAccessSlice(MiB, 2 * MiB);
            assertThat(ra.readInt(MiB - 1)).isEqualTo(leInt(data, 2 * MiB - 1));
            assertThat(ra.readShort(0)).isEqualTo((short) ((data[MiB] & 0xFF) | (data[MiB + 1] << 8)));
            in.seek(data.length - 2);
            assertThatThrownBy(in::readInt).isInstanceOf(EOFException.class);
            assertThat(in.getFilePointer()).as("a failed read moves nothing").isEqualTo(data.length - 2);
            assertThatThrownBy(() -> in.seek(data.length + 1)).isInstanceOf(EOFException.class);
            assertThatThrownBy(() -> ra.readLong(2 * MiB - 4)).isInstanceOf(EOFException.class);
            assertThatThrownBy(() -> in.slice("bad", Long.MAX_VALUE - 1, 10))
                    .isInstanceOf(IllegalArgumentException.class);
            int[] ints = new int[5];
            in.seek(MiB - 8);
            in.readInts(ints, 0, 5);
            assertThat(ints[2]).isEqualTo(leInt(data, MiB));
            in.close();
            // Closing the input that opened the file ends every clone and slice.
            assertThatThrownBy(clone::readByte).isInstanceOf(AlreadyClosedException.class);
            assertThatThrownBy(slice::readByte).isInstanceOf(AlreadyClosedException.class);
            assertThatThrownBy(() -> ra.readByte(0)).isInstanceOf(AlreadyClosedException.class);
            assertThatThrownBy(in::clone).isInstanceOf(AlreadyClosedException.class);
        }
    }

    @Test
    void inlineFilesCloseTheSameWay() throws IOException {
        byte[] data = Files2.bytes(2, 1000);
        Files2.write(d, "small", data);
        IndexInput in = d.openInput("small", IOContext.DEFAULT);
        IndexInput slice = in.slice("s", 10, 20);
        assertThat(slice.readByte()).isEqualTo(data[10]);
        assertThat(in.isLoaded()).contains(true);
        in.close();
        assertThatThrownBy(slice::readByte).isInstanceOf(AlreadyClosedException.class);
    }

    @Test
    void theIoContextChoosesTheAdvice() throws IOException {
        Files2.write(d, "f", Files2.bytes(3, 2 * MiB));
        IOContext merge = IOContext.merge(new MergeInfo(10, 2 * MiB, false, 1));
        assertThat(adviceOf(IOContext.DEFAULT)).isEqualTo(Advice.WARM);
        assertThat(adviceOf(IOContext.READONCE)).isEqualTo(Advice.COLD);
        assertThat(adviceOf(merge)).isEqualTo(Advice.COLD);
        assertThat(adviceOf(IOContext.DEFAULT.withHints(FileTypeHint.INDEX))).isEqualTo(Advice.HOT);
        try (IndexInput in = d.openInput("f", merge)) {
            in.updateIOContext(IOContext.DEFAULT.withHints(FileTypeHint.INDEX));
            assertThat(((MpoolIndexInput) in).source().advice()).isEqualTo(Advice.HOT);
        }
    }

    private Advice adviceOf(IOContext context) throws IOException {
        try (IndexInput in = d.openInput("f", context)) {
            return ((MpoolIndexInput) in).source().advice();
        }
    }

    @Test
    void aSequentialReaderAsksForReadaheadAndARandomOneDoesNot() throws IOException, InterruptedException {
        Files2.write(d, "seq", Files2.bytes(4, 40 * MiB));
        long window = MpoolIndexInput.READAHEAD_WINDOW_BYTES;
        try (IndexInput random = d.openInput("seq", IOContext.DEFAULT)) {
            random.readByte();
            MpoolIndexInput in = (MpoolIndexInput) random;
            assertThat(in.source().resident(window, window))
                    .as("a random reader faults single pages")
                    .isFalse();
        }
        try (IndexInput sequential = d.openInput("seq", IOContext.READONCE)) {
            sequential.readByte();
            InputSource s = ((MpoolIndexInput) sequential).source();
            awaitTrue(() -> s.resident(window, window), "the second window read ahead");
            assertThat(s.resident(3 * window, window))
                    .as("not more than two windows ahead")
                    .isFalse();
            sequential.seek(2 * window);
            sequential.readByte();
            awaitTrue(() -> s.resident(3 * window, window), "the window after the next read ahead");
        }
    }

    @Test
    void prefetchLoadsARangeAndIsLoadedSaysSo() throws IOException, InterruptedException {
        Files2.write(d, "p", Files2.bytes(5, 4 * MiB));
        try (IndexInput in = d.openInput("p", IOContext.DEFAULT)) {
            assertThat(in.isLoaded()).as("written with direct I/O: not cached").isEqualTo(Optional.empty());
            IndexInput slice = in.slice("s", MiB, MiB);
            slice.prefetch(0, MiB);
            InputSource s = ((MpoolIndexInput) in).source();
            awaitTrue(() -> s.resident(MiB, MiB), "the prefetched range");
            assertThat(slice.isLoaded()).contains(true);
            assertThat(in.isLoaded()).as("the rest is not cached").isEqualTo(Optional.empty());
            assertThatThrownBy(() -> in.prefetch(4 * MiB - 1, 2)).isInstanceOf(IllegalArgumentException.class);
            in.prefetch(0, 4 * MiB);
            awaitTrue(() -> in.isLoaded().isPresent(), "the whole file");
        }
    }

    @Test
    void aDeletedFileStaysReadableUntilItsLastInputClosesThenItsMblocksGo() throws IOException {
        byte[] data = Files2.bytes(6, 2 * MiB + 1);
        Files2.write(d, "a", data);
        List<ObjectId> ids = d.mblocks("a");
        IndexInput in = d.openInput("a", IOContext.DEFAULT);
        IndexInput clone = in.clone();
        d.deleteFile("a");
        assertThat(d.listAll()).isEmpty();
        assertThat(d.getPendingDeletions()).containsExactly("a");
        assertThatThrownBy(() -> d.openInput("a", IOContext.DEFAULT)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> d.fileLength("a")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> d.deleteFile("a")).isInstanceOf(NoSuchFileException.class);
        byte[] back = new byte[data.length];
        clone.readBytes(back, 0, back.length);
        assertThat(back).isEqualTo(data);
        assertThatThrownBy(() -> d.pool().delete(ids.getFirst()))
                .as("a mapped mblock cannot be deleted")
                .isInstanceOf(MpoolException.class)
                .extracting(e -> ((MpoolException) e).code())
                .isEqualTo(ErrorCode.BUSY);
        Files2.write(d, "a", Files2.bytes(7, 10)); // the name is free again
        assertThat(d.getPendingDeletions()).as("the old file is still held").containsExactly("a");
        in.close();
        assertThat(d.getPendingDeletions()).isEqualTo(Set.of());
        // The data goes once the delete record is durable: at the next sync, syncMetaData or close.
        assertThat(d.pool().info(ids.getFirst()).lengthBytes()).isEqualTo(FULL);
        d.syncMetaData();
        for (ObjectId id : ids) {
            assertThatThrownBy(() -> d.pool().info(id)).isInstanceOf(MpoolException.class);
        }
        assertThat(Files2.read(d, "a")).isEqualTo(Files2.bytes(7, 10));
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L; // readahead is asynchronous
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not resident after 10 s");
            }
            Thread.sleep(5);
        }
    }

    private static long leLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static int leInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
