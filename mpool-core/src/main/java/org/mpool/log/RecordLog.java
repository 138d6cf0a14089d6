package org.mpool.log;

import static org.mpool.format.LogFormat.BLOCK_HEADER_SIZE;
import static org.mpool.format.LogFormat.BLOCK_SIZE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.device.AlignedBuffers;
import org.mpool.format.LogFormat;
import org.mpool.format.Varint;
import org.mpool.observe.Counter;
import org.mpool.observe.Events;

/**
 * A record log on a fixed extent of a device. Records of any size are appended until the log
 * is full; they are read back in order from the start at any time; {@link #erase} empties it.
 * All I/O is direct.
 *
 * <p>Durability: a sync append returns once its record (and every record before it) is
 * durable. Async appends are buffered; {@link #flush()}, a later sync append or
 * {@link #close()} make them durable. Full buffer blocks are written out in the background,
 * but only a flush makes them durable. Concurrent sync appenders share device flushes (group
 * commit): one of them writes and flushes everything buffered while the others wait.
 *
 * <p>After a failed write or flush the log refuses further writes with IO: a failed flush
 * may have lost data the device had accepted, so the only way on is to reopen, which finds
 * out what is really on the media.
 */
public final class RecordLog implements AutoCloseable {
    /** Background write-out of full buffer blocks, on threads shared by all logs (see WriteBehind). */
    static final Executor WRITE_BEHIND = WriteBehind::execute;

    /** The smallest unit any device writes atomically: a torn write keeps or loses whole ones. */
    private static final int ATOMIC_WRITE_BYTES = 512;

    private final LogSpec spec;
    /** What every block header of this log names: its pool and log id. */
    private final LogFormat.Seed seed;
    /**
     * Runs background write-outs. Crash explorers pass {@code Runnable::run}: the write-out
     * then runs in the appending thread right after the append that schedules it (one of the
     * interleavings a background thread allows), so the order of device writes depends only
     * on the calls made, and a seed replays.
     */
    private final Executor writeBehind;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment ringMemory;
    private final LogRing ring;
    private final byte[] varint = new byte[Varint.MAX_BYTES];
    private final MemorySegment varintSegment = MemorySegment.ofArray(varint);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    /** Who leads the next flush round and who waits for whose (see {@link GroupCommit}). */
    private final GroupCommit group = new GroupCommit(lock);

    private long writtenEnd;
    /** Written under the lock; read without it by sync appenders a round has released. */
    private volatile long durableEnd;
    /** Records were appended since block 0's durable mark was last written (or the log opened). */
    private boolean appendedSinceMark;
    /** What block 0's durable mark says (see {@link #markDurable}); the ring's copy of block 0 holds it too. */
    private long durableMark;
    /** The I/O slot: a write-out is in flight, or a leader gathers its round. One at a time. */
    private boolean ioInProgress;
    /** A write-out is in flight (ioInProgress also covers a gather's wait): checked by an assertion. */
    private boolean writing;

    private boolean recordInProgress;
    private boolean writeBehindScheduled;
    private MpoolException failure;
    private boolean closed;
    /** Records appended (under the lock), and of those the ones a flush round made durable: its count. */
    private long appendedRecords;

    private long flushedRecords;
    /** How long the leader of the next round waited for joiners (see {@link #commitThrough}). */
    private long gatherNanos;
    /** Told once when the log is closed (the pool counts open mlogs). */
    private Runnable onClose = () -> {};

    private RecordLog(LogSpec spec, Executor writeBehind) {
        this.spec = spec;
        this.writeBehind = writeBehind;
        long ringBytes = Math.min(spec.bufferBytes(), spec.capacityBytes());
        this.ringMemory = AlignedBuffers.allocate(arena, ringBytes);
        this.seed = new LogFormat.Seed(spec.poolUuid(), spec.logId());
        this.ring = new LogRing(seed, ringMemory, spec.capacityBytes());
    }

    /**
     * Makes a new, empty log of {@code generation} on the extent and opens it. With
     * {@code zeroFill}, the whole extent is written with zeros first: on file-backed devices
     * synced appends then overwrite allocated blocks, which costs no file-system journal commit.
     */
    public static RecordLog format(LogSpec spec, long generation, boolean zeroFill) {
        return format(spec, generation, zeroFill, WRITE_BEHIND);
    }

    static RecordLog format(LogSpec spec, long generation, boolean zeroFill, Executor writeBehind) {
        if (generation < 1) {
            throw MpoolException.invalid("a log generation starts at 1, got " + generation);
        }
        RecordLog log = new RecordLog(spec, writeBehind);
        try {
            if (zeroFill) {
                log.zeroFill();
            }
            log.startGeneration(generation);
            return log;
        } catch (RuntimeException e) {
            log.arena.close();
            throw e;
        }
    }

    /**
     * Opens an existing log: finds its end, discarding a torn tail that was never acknowledged,
     * and starts a new writer epoch so nothing left past the end can ever be read as data.
     * Fails with CORRUPT if the media lost data that had been made durable.
     */
    public static RecordLog open(LogSpec spec) {
        return open(spec, WRITE_BEHIND);
    }

    static RecordLog open(LogSpec spec, Executor writeBehind) {
        RecordLog log = new RecordLog(spec, writeBehind);
        try {
            log.recover();
            return log;
        } catch (RuntimeException e) {
            log.arena.close();
            throw e;
        }
    }

    /** Like {@link #open(LogSpec)}; {@code onClose} runs once when the log is closed. */
    public static RecordLog open(LogSpec spec, Runnable onClose) {
        RecordLog log = open(spec);
        log.onClose = onClose;
        return log;
    }

    /** Reads the records of a log that is not open, without writing anything (inspection). */
    public static LogReader read(LogSpec spec) {
        return new LogReader(new LogScanner(spec, spec.capacityBytes()), false);
    }

    private void zeroFill() {
        long chunk = ringMemory.byteSize();
        ringMemory.fill((byte) 0);
        for (long off = 0; off < spec.capacityBytes(); off += chunk) {
            long len = Math.min(chunk, spec.capacityBytes() - off);
            spec.device().write(spec.offset() + off, ringMemory.asSlice(0, len));
        }
    }

    private void recover() {
        long generation;
        long epoch;
        long end;
        long confirmed;
        try (LogScanner scanner = new LogScanner(spec, spec.capacityBytes())) {
            while (scanner.nextFrame()) {
                // Walk to the end; frames are checked as they are read.
            }
            generation = scanner.generation();
            epoch = scanner.logEpoch() + 1;
            end = scanner.end();
            confirmed = Math.min(end, scanner.maxDurable());
            durableMark = scanner.durableMark();
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment block0 = readBlock(scratch, 0);
            LogFormat.writeBlockHeader(seed, block0, generation, 0, epoch, durableMark);
            long tailBlock = LogFormat.blockEnd(end) - BLOCK_SIZE;
            MemorySegment tail = block0;
            if (tailBlock == 0) {
                block0.asSlice(end).fill((byte) 0); // drop the torn remains past the end
            } else {
                tail = readBlock(scratch, tailBlock);
            }
            ring.reset(generation, epoch, end, tail);
            // The new epoch must be durable before any fragment carrying it is written.
            writeBlock0Durably(block0);
        }
        writtenEnd = end;
        durableEnd = end;
        ring.writtenThrough(end);
        // The recovered tail is durable now, but its records were never acknowledged: until new
        // data is flushed, fragments keep saying only what the last session confirmed. So a
        // client's recovery step (the pool cancelling commits whose data is torn) is written
        // before any fragment can vouch for the records it cancels.
        ring.durableThrough(confirmed);
    }

    /**
     * Writes block 0 of a new, empty generation. Only its first sector changes (the header,
     * then zeros: no fragment); the other sectors keep the bytes on the media. Power lost
     * while this write is unflushed may tear it at sector boundaries: the first sector then
     * decides, and the media holds either the old generation intact or the new one empty,
     * never the old header over partly zeroed old records.
     */
    private void startGeneration(long generation) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment block0 = readBlock(scratch, 0);
            block0.asSlice(0, ATOMIC_WRITE_BYTES).fill((byte) 0);
            LogFormat.writeBlockHeader(seed, block0, generation, 0, 1);
            ring.reset(generation, 1, BLOCK_HEADER_SIZE, block0);
            durableMark = 0;
            appendedSinceMark = false;
            writeBlock0Durably(block0);
        }
        writtenEnd = BLOCK_HEADER_SIZE; // ring.reset took the ring's written and durable ends there too
        durableEnd = BLOCK_HEADER_SIZE;
    }

    /** Appends a record; with {@code sync}, returns once it is durable. */
    public void append(byte[] record, boolean sync) {
        if (sync) {
            group.enter();
        }
        try {
            lock.lock();
            try {
                if (!recordInProgress && failure == null && !closed && ring.tryAppendInBlock(record)) {
                    appendedSinceMark = true;
                    appendedRecords++;
                    if (sync) {
                        commitThrough(ring.tail(), false);
                    } else {
                        maybeWriteBehind();
                    }
                    return;
                }
            } finally {
                unlockIfHeld();
            }
            appendFramed(MemorySegment.ofArray(record), sync);
        } finally {
            if (sync) {
                group.leave();
            }
        }
    }

    /**
     * Appends the bytes of {@code record}; with {@code sync}, returns once it is durable.
     * Fails with LOG_FULL, changing nothing, if the record does not fit.
     */
    public void append(MemorySegment record, boolean sync) {
        if (sync) {
            group.enter();
        }
        try {
            appendFramed(record, sync);
        } finally {
            if (sync) {
                group.leave();
            }
        }
    }

    private void appendFramed(MemorySegment record, boolean sync) {
        long length = record.byteSize();
        lock.lock();
        try {
            awaitNoRecordInProgress();
            checkWritable("append");
            int header = Varint.encode(length, varint);
            if (ring.endAfter(header + length) == Long.MAX_VALUE) {
                throw new MpoolException(
                        ErrorCode.LOG_FULL,
                        spec.describe() + " is full: a " + length + "-byte record does not fit (" + remaining()
                                + " bytes can still be appended); erase it first");
            }
            recordInProgress = true;
            try {
                while (!ring.openFrame()) {
                    makeRoom();
                }
                putAll(varintSegment, header);
                putAll(record, length);
                appendedSinceMark = true;
                appendedRecords++;
            } finally {
                recordInProgress = false;
                wakeWaiters();
            }
            if (sync) {
                commitThrough(ring.tail(), false);
            } else {
                maybeWriteBehind();
            }
        } finally {
            unlockIfHeld();
        }
    }

    private void putAll(MemorySegment src, long length) {
        long done = 0;
        while (done < length) {
            done += ring.put(src, done, length - done);
            if (done < length) {
                makeRoom();
            }
        }
    }

    /** Makes every record appended so far durable. */
    public void flush() {
        lock.lock();
        try {
            awaitNoRecordInProgress();
            checkWritable("flush");
            commitThrough(ring.tail(), false);
        } finally {
            unlockIfHeld();
        }
    }

    /**
     * Writes and flushes until everything before {@code target} is durable, sharing flushes:
     * whoever finds no I/O in flight writes and flushes all that is buffered (the leader);
     * the others wait. A leader returns as soon as its own records are durable: its round's
     * end wakes one of the waiters it leaves behind to lead the next. (A leader that ran that
     * next round itself saved a wake-up, but held its caller for a second flush: with 32 MiB
     * mblock commits from two threads, each waited out the other's flush and wrote 12% less.)
     * Before a round, a leader that knows of sync appenders still on their way to the lock
     * waits for them briefly (see {@link GroupCommit#gather}).
     *
     * <p>Called with the lock held. Returns with it held if {@code keepLock}; else it may
     * return with the lock released (a waiter that another's round made durable does not
     * retake it): callers unlock with {@link #unlockIfHeld}.
     */
    private void commitThrough(long target, boolean keepLock) {
        // An erase may overtake the wait: its new generation starts below target and never
        // reaches it, and the records target stands for are gone, durably. Then we are done.
        long generation = ring.generation();
        boolean gathered = false;
        while (true) {
            checkWritable("commit");
            if (durableEnd >= target || ring.generation() != generation) {
                return;
            }
            if (group.takeOverGather(recordInProgress)) {
                // The last appender a gathering leader waits for: it runs the round itself (the
                // I/O slot stays claimed) rather than wake the leader, whose records it seals too.
                assert ioInProgress : "a gather without the I/O slot";
                gathered = true;
            } else if (ioInProgress || recordInProgress) {
                if (group.awaitRound(target, keepLock, () -> durableEnd)) {
                    return;
                }
                continue;
            }
            if (!gathered && !group.allJoined()) {
                gathered = true;
                long gatherStart = System.nanoTime();
                boolean leads = gather();
                gatherNanos = System.nanoTime() - gatherStart;
                if (!leads) {
                    continue; // an arrival took the round over: wait for it
                }
                if (recordInProgress) {
                    continue; // a long record began meanwhile: its end wakes the waiters
                }
                // Else the round goes ahead without deciding again: the joiners wait for its end.
            }
            ring.sealFrame();
            long end = ring.sealedEnd();
            writeOut(writtenEnd - writtenEnd % BLOCK_SIZE, AlignedBuffers.alignUp(end, BLOCK_SIZE), end, true);
        }
    }

    /**
     * The I/O in flight or the record in progress ended: wakes whoever waits on
     * {@code progress}, every sync appender whose records are durable now (all of them after
     * a failure or a close, to hear of it), and, if nothing is in flight, the longest waiting
     * of the others to lead the next round. Called with the lock held.
     */
    private void wakeWaiters() {
        ParkedAppenders.unpark(releaseWaiters());
    }

    /** Like {@link #wakeWaiters}, but returns the parked threads to unpark instead. */
    private List<Thread> releaseWaiters() {
        progress.signalAll();
        return group.release(durableEnd, failure != null || closed, !ioInProgress && !recordInProgress);
    }

    private void unlockIfHeld() {
        if (lock.isHeldByCurrentThread()) {
            lock.unlock();
        }
    }

    /**
     * Claims the I/O slot and gathers the sync appenders on their way (see
     * {@link GroupCommit#gather}). Returns whether the caller still leads; if it does, the
     * slot is free again for its round to claim, and a long record that began meanwhile hears
     * that this round cannot seal before it ends. Called with the lock held and the slot free.
     */
    private boolean gather() {
        assert !ioInProgress : "a gather with the I/O slot taken";
        ioInProgress = true;
        boolean leads = group.gather();
        if (leads) {
            ioInProgress = false;
            if (recordInProgress) {
                wakeWaiters(); // a long record waits for room; this round cannot seal before it ends
            }
        }
        return leads;
    }

    /** The ring is full: write out its oldest full blocks (or wait for a write in flight). */
    private void makeRoom() {
        checkWritable("append");
        if (ioInProgress) {
            progress.awaitUninterruptibly();
            return;
        }
        long to = ring.sealedFullBlocksEnd();
        long from = writtenEnd - writtenEnd % BLOCK_SIZE;
        writeOut(from, to, Math.max(writtenEnd, to), false);
    }

    /**
     * Starts a background write-out once a quarter of the ring holds full blocks: appenders
     * keep filling the other three quarters meanwhile, and a flush finds little left to write.
     */
    private void maybeWriteBehind() {
        long full = ring.sealedFullBlocksEnd() - (writtenEnd - writtenEnd % BLOCK_SIZE);
        if (!ioInProgress && !writeBehindScheduled && full >= Math.max(BLOCK_SIZE, ringMemory.byteSize() / 4)) {
            writeBehindScheduled = true;
            writeBehind.execute(this::writeBehind);
        }
    }

    private void writeBehind() {
        lock.lock();
        try {
            writeBehindScheduled = false;
            if (ioInProgress || failure != null || closed) {
                return;
            }
            long from = writtenEnd - writtenEnd % BLOCK_SIZE;
            long to = ring.sealedFullBlocksEnd();
            if (to > from) {
                writeOut(from, to, Math.max(writtenEnd, to), false);
            }
        } catch (MpoolException e) {
            // Recorded in failure: the next caller gets it.
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes ring bytes {@code [from, to)} with the lock released (appenders go on filling the
     * ring meanwhile), then optionally flushes. Called with the lock held and no I/O in flight.
     */
    private void writeOut(long from, long to, long newWrittenEnd, boolean flush) {
        assert lock.isHeldByCurrentThread();
        assert from % BLOCK_SIZE == 0 && to % BLOCK_SIZE == 0 && from <= to : "[" + from + ", " + to + ")";
        assert from <= writtenEnd && newWrittenEnd <= to && newWrittenEnd >= writtenEnd
                : "write-out [" + from + ", " + to + ") to end " + newWrittenEnd + ", written to " + writtenEnd;
        assert to <= spec.capacityBytes() : "a write-out past the extent";
        // The I/O slot's claim (ioInProgress) passes between threads in a gather; this checks,
        // with assertions on (the tests), that it never lets two write-outs through.
        assert !writing : spec.describe() + ": a write-out started while another was in flight";
        writing = true;
        ioInProgress = true;
        long records = flush ? appendedRecords : 0; // a flush round follows a seal: nothing half appended
        long gathered = gatherNanos;
        gatherNanos = 0;
        lock.unlock();
        Events.LogFlush event = flush ? new Events.LogFlush() : null;
        if (event != null) {
            event.begin();
        }
        MpoolException error = null;
        boolean done = false;
        long started = System.nanoTime();
        try {
            long pos = from;
            while (pos < to) {
                long run = ring.firstRun(pos, to);
                spec.device().write(spec.offset() + pos, ring.bytes(pos, pos + run));
                pos += run;
            }
            if (flush) {
                spec.device().flush();
            }
            done = true;
        } catch (MpoolException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new MpoolException(ErrorCode.IO, spec.describe() + ": write failed: " + e, e);
        } finally {
            lock.lock();
            writing = false;
            ioInProgress = false;
            // The outcome is recorded before the waiters wake: those it made durable return
            // without the lock, reading durableEnd alone.
            if (done) {
                assert durableEnd <= writtenEnd : "durable " + durableEnd + " before written " + writtenEnd;
                writtenEnd = Math.max(writtenEnd, newWrittenEnd);
                ring.writtenThrough(writtenEnd);
                if (flush) {
                    group.roundTook(System.nanoTime() - started);
                    durableEnd = Math.max(durableEnd, newWrittenEnd);
                    ring.durableThrough(durableEnd);
                    roundDone(event, records - flushedRecords, to - from, gathered);
                    flushedRecords = Math.max(flushedRecords, records);
                }
            } else if (error != null) {
                failure = new MpoolException(
                        error.code() == ErrorCode.NO_SPACE ? ErrorCode.NO_SPACE : ErrorCode.IO,
                        spec.describe() + " stopped taking writes after an I/O error; reopen it to go on: "
                                + error.getMessage(),
                        error);
            }
            List<Thread> released = releaseWaiters();
            if (!released.isEmpty()) {
                // Unparked with the lock free: a released thread that comes straight back to
                // append must not find it held and park again.
                lock.unlock();
                ParkedAppenders.unpark(released);
                lock.lock();
            }
        }
        if (error != null) {
            throw failure;
        }
    }

    /** Counts a flush round and tells the flight recorder of it (if a recording wants it). */
    private void roundDone(Events.LogFlush event, long records, long bytes, long gathered) {
        spec.counters().increment(Counter.LOG_FLUSH_ROUNDS);
        spec.counters().add(Counter.LOG_FLUSH_RECORDS, Math.max(0, records));
        event.end();
        if (event.shouldCommit()) {
            event.log = spec.describe();
            event.records = Math.max(0, records);
            event.bytes = bytes;
            event.gatherNanos = gathered;
            event.commit();
        }
    }

    private void awaitNoRecordInProgress() {
        while (recordInProgress) {
            progress.awaitUninterruptibly();
        }
    }

    private void checkWritable(String op) {
        if (closed) {
            throw new MpoolException(ErrorCode.INVALID_STATE, op + " on " + spec.describe() + ": the log is closed");
        }
        if (failure != null) {
            throw new MpoolException(failure.code(), failure.getMessage(), failure);
        }
    }

    /**
     * Empties the log: a new generation starts, and no record of an older one is ever read
     * again. Records buffered but not yet durable are dropped with the rest.
     */
    public void erase() {
        lock.lock();
        try {
            eraseTo(ring.generation() + 1);
        } finally {
            lock.unlock();
        }
    }

    /** Erases, starting generation {@code generation}, which must be above the current one. */
    public void eraseTo(long generation) {
        lock.lock();
        try {
            awaitNoRecordInProgress();
            while (ioInProgress) {
                progress.awaitUninterruptibly();
            }
            checkWritable("erase");
            if (generation <= ring.generation()) {
                throw MpoolException.invalid("erase of " + spec.describe() + " to generation " + generation
                        + ": it must be above the current generation " + ring.generation());
            }
            try {
                startGeneration(generation);
            } catch (MpoolException e) {
                failure = new MpoolException(
                        ErrorCode.IO,
                        spec.describe() + " stopped taking writes after a failed erase; reopen it to go on: "
                                + e.getMessage(),
                        e);
                throw failure;
            } finally {
                // Parked sync appenders wait for positions of the generation just ended: none
                // will come. They wake, find the generation changed (or the failure), and return.
                progress.signalAll();
                ParkedAppenders.unpark(group.release(durableEnd, true, false));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Iterates the records written so far, from the start. Records still in the write buffer
     * (async appends not yet flushed or written out) are not included.
     */
    public LogReader reader() {
        long limit;
        long generation;
        lock.lock();
        try {
            if (closed) {
                throw new MpoolException(ErrorCode.INVALID_STATE, "read of " + spec.describe() + ": the log is closed");
            }
            limit = writtenEnd;
            generation = ring.generation();
        } finally {
            lock.unlock();
        }
        // The scan reads the media without the lock: an erase meanwhile (even before it reads
        // block 0) makes what it finds past the new generation's writes look like damage.
        return new LogReader(new LogScanner(spec, limit), true, () -> generation() != generation);
    }

    public LogSpec spec() {
        return spec;
    }

    public long generation() {
        lock.lock();
        try {
            return ring.generation();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of the extent in use: the position the next record would start at, headers included. */
    public long usedBytes() {
        lock.lock();
        try {
            return ring.tail();
        } finally {
            lock.unlock();
        }
    }

    public long capacityBytes() {
        return spec.capacityBytes();
    }

    /**
     * Keeps the log's last block for its owner's own records: appends fail with LOG_FULL before
     * reaching it, except {@link #appendToReserve}. An MDC keeps it so that the records that make
     * a compaction safe (docs/FORMAT.md §4) always fit, even when a client filled the log.
     */
    public void reserveLastBlock() {
        lock.lock();
        try {
            ring.limit(spec.capacityBytes() - BLOCK_SIZE);
        } finally {
            lock.unlock();
        }
    }

    /** Appends {@code record} with a sync, into the reserved last block if need be. */
    public void appendToReserve(byte[] record) {
        lock.lock();
        try {
            ring.limit(spec.capacityBytes());
        } finally {
            lock.unlock();
        }
        try {
            append(record, true);
        } finally {
            reserveLastBlock();
        }
    }

    /**
     * The size of the largest record an append would take now, or -1 when the log is full:
     * not even an empty record fits (0 means an empty record still does).
     */
    public long remaining() {
        lock.lock();
        try {
            long room = ring.payloadRoom();
            long best = -1;
            for (int v = 1; v <= Varint.MAX_BYTES; v++) {
                long candidate = room - v;
                if (candidate >= 0 && Varint.size(candidate) <= v) {
                    best = Math.max(best, candidate);
                }
            }
            return best;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Flushes what is buffered, then releases the log. Idempotent. If an earlier failure (maybe
     * of a background write-out no caller saw) left appended records that are not durable,
     * it throws that failure, after releasing the log all the same.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                if (failure == null) {
                    awaitNoRecordInProgress();
                    commitThrough(ring.tail(), true);
                    markDurable();
                } else if (durableEnd < ring.tail()) {
                    throw new MpoolException(
                            failure.code(),
                            "close of " + spec.describe() + ": records appended after log position " + durableEnd
                                    + " were not made durable: " + failure.getMessage(),
                            failure);
                }
            } finally {
                while (ioInProgress) {
                    progress.awaitUninterruptibly();
                }
                closed = true;
                wakeWaiters(); // sync appenders still parked hear that the log is closed
                arena.close();
                onClose.run();
            }
            if (failure != null) {
                // A background write failed earlier: what was appended since the last flush may
                // be lost, and the caller must hear so rather than take the close as a flush.
                throw new MpoolException(
                        failure.code(),
                        "closed " + spec.describe()
                                + " after an earlier I/O error; records appended since the last flush may be lost: "
                                + failure.getMessage(),
                        failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Once the records are durable, writes their end into block 0's header as its durable mark
     * and flushes it. A reader that finds damage before the mark then knows acknowledged data
     * was lost and reports CORRUPT. Without it, the last records have no witness but the
     * fragments written after them, and damage to both would look like a write that a crash
     * cut short: the scan would end early. Block 0 is read back as the media holds it and
     * only its header changes, in the first sector: torn, the write leaves the old mark or the
     * new one. A close without appends writes nothing: in particular it never vouches for a
     * tail recovery found but no one acknowledged.
     */
    private void markDurable() {
        if (!appendedSinceMark || durableEnd <= durableMark) {
            return;
        }
        while (ioInProgress) {
            progress.awaitUninterruptibly();
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment block0 = readBlock(scratch, 0);
            LogFormat.writeBlockHeader(seed, block0, ring.generation(), 0, ring.epoch(), durableEnd);
            writeBlock0Durably(block0);
        } catch (MpoolException e) {
            throw new MpoolException(
                    e.code(),
                    "close of " + spec.describe()
                            + ": the records are durable, but writing their end into block 0 failed"
                            + " (a later read cannot tell damage to the last ones from a torn tail): "
                            + e.getMessage(),
                    e);
        }
        durableMark = durableEnd;
        appendedSinceMark = false;
    }

    /** The block at {@code blockOffset} in the log, as the media holds it. */
    private MemorySegment readBlock(Arena scratch, long blockOffset) {
        MemorySegment block = AlignedBuffers.allocate(scratch, BLOCK_SIZE);
        spec.device().read(spec.offset() + blockOffset, block);
        return block;
    }

    /** Writes block 0 (its header changed) and flushes it. */
    private void writeBlock0Durably(MemorySegment block0) {
        spec.device().write(spec.offset(), block0);
        spec.device().flush();
    }

    @Override
    public String toString() {
        return "RecordLog[" + spec.describe() + "]";
    }
}
