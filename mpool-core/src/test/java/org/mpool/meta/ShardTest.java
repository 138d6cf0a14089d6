package org.mpool.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mpool.common.MediaClass;
import org.mpool.common.MpoolException;
import org.mpool.common.MpoolException.ErrorCode;
import org.mpool.common.ObjectId;
import org.mpool.format.CatalogRecord;
import org.mpool.format.ObjectIdBits;
import org.mpool.log.LogPair;
import org.mpool.log.LogSpec;
import org.mpool.testing.FaultInjectingDevice;
import org.mpool.testing.FaultInjectingDevice.Fault;
import org.mpool.testing.FaultInjectingDevice.Op;
import org.mpool.testing.MemoryDevice;

/**
 * A metadata shard on two logs of a memory device: id allocation, commits and deletes, their
 * recovery, compaction, the data check of commits no flush confirmed, and read-only loading.
 */
class ShardTest {
    private static final int SHARD = 7;
    private static final long LOG_BLOCKS = 64;
    private static final int BUFFER_BLOCKS = 16;
    private static final LongPredicate NOT_BUSY = id -> false;
    private static final Shard.DataCheck NEVER_CALLED = m -> {
        throw new AssertionError("data check of a confirmed record: " + m);
    };

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private MemoryDevice device() {
        return closing(new MemoryDevice("shard", 2 * LOG_BLOCKS * MetaLogs.BLOCK));
    }

    /** A copy of what {@code device} holds now: the image of a crash right after everything flushed so far. */
    private MemoryDevice copy(MemoryDevice device) {
        return closing(MemoryDevice.copyOf(device));
    }

    private static LogSpec[] logs(org.mpool.spi.BlockDevice device) {
        return MetaLogs.shard(device, SHARD, LOG_BLOCKS, BUFFER_BLOCKS);
    }

    private Shard create(MemoryDevice device) {
        LogSpec[] l = logs(device);
        return closing(Shard.create(SHARD, l[0], l[1], false));
    }

    private Shard open(org.mpool.spi.BlockDevice device, Shard.DataCheck check) {
        LogSpec[] l = logs(device);
        return closing(Shard.open(SHARD, l[0], l[1], check));
    }

    private static Shard load(org.mpool.spi.BlockDevice device, Shard.DataCheck check) {
        LogSpec[] l = logs(device);
        return Shard.load(SHARD, l[0], l[1], check);
    }

    private static MpoolException failure(Runnable r) {
        return catchThrowableOfType(MpoolException.class, r::run);
    }

    private static ObjectTable.Entry mblockEntry(ObjectId id, MediaClass mc, long zone, long length, int crc) {
        return new ObjectTable.Mblock(id.value(), mc, zone, length, crc, 0, false, false);
    }

    /** Commits an mblock with fields derived from its id; returns its entry. */
    private static ObjectTable.Entry commitMblock(Shard shard, ObjectId id) {
        MediaClass mc = MediaClass.values()[(int) (id.uniquifier() % 2)];
        long zone = 100 + id.uniquifier();
        long length = 4096 * (id.uniquifier() % 7 + 1);
        int crc = (int) (id.value() * 0x9E3779B97F4A7C15L >>> 32);
        shard.commit(new CatalogRecord.Mblock(id.value(), mc.code(), zone, length, crc, 0), true);
        return mblockEntry(id, mc, zone, length, crc);
    }

    private static CatalogRecord.Mblock record(ObjectTable.Entry e) {
        ObjectTable.Mblock m = (ObjectTable.Mblock) e;
        return new CatalogRecord.Mblock(m.id(), m.mediaClass().code(), m.zone(), m.lengthBytes(), m.crc(), 0);
    }

    // ---- ids

    @Test
    void idsAreUniqueIncreasingAndOfThisShardAcrossReservationsAndReopen() {
        MemoryDevice mem = device();
        long last = 0;
        Shard shard = create(mem);
        for (int i = 0; i < 10_000; i++) { // more than two reservation batches
            ObjectId id = shard.newId(i % 3 == 0 ? ObjectId.Type.MLOG : ObjectId.Type.MBLOCK);
            assertThat(id.uniquifier()).as("uniquifier of id %d, %s", i, id).isGreaterThan(last);
            assertThat(id.shard()).as("shard of %s", id).isEqualTo(SHARD);
            assertThat(id.type())
                    .as("type of %s", id)
                    .isEqualTo(i % 3 == 0 ? ObjectId.Type.MLOG : ObjectId.Type.MBLOCK);
            last = id.uniquifier();
        }
        assertThat(shard.newId(ObjectId.Type.MBLOCK).uniquifier())
                .as("first uniquifier after 10000")
                .isEqualTo(last + 1);
        last++;
        shard.close();
        Shard reopened = open(mem, NEVER_CALLED);
        ObjectId after = reopened.newId(ObjectId.Type.MBLOCK);
        assertThat(after.uniquifier())
                .as("first uniquifier after reopen (last before: %d)", last)
                .isGreaterThan(last);
    }

    @Test
    void theFirstIdHasUniquifierOneSoNoIdEqualsAMetadataLogId() {
        Shard shard = create(device());
        ObjectId first = shard.newId(ObjectId.Type.MLOG);
        assertThat(first.uniquifier()).as("uniquifier of the first id").isEqualTo(1);
        assertThat(first.value()).as("first id").isGreaterThanOrEqualTo(1L << ObjectIdBits.UNIQUIFIER_SHIFT);
    }

    /** Ids handed out but never committed are not handed out again after a crash: ID_RESERVE is durable first. */
    @Test
    void idsAreNotReusedAfterACrash() {
        MemoryDevice mem = device();
        Shard shard = create(mem);
        long last = 0;
        for (int i = 0; i < 5000; i++) {
            last = shard.newId(ObjectId.Type.MBLOCK).uniquifier();
        }
        MemoryDevice crashed = copy(mem); // the shard never closed: no record beyond the reservations
        Shard reopened = open(crashed, NEVER_CALLED);
        assertThat(reopened.table().size()).as("objects after the crash").isZero();
        assertThat(reopened.newId(ObjectId.Type.MBLOCK).uniquifier())
                .as("first uniquifier after the crash")
                .isGreaterThan(last);
    }

    // ---- commits and deletes

    @Test
    void commitsAndDeletesAreVisibleAndSurviveReopen() {
        MemoryDevice mem = device();
        Shard shard = create(mem);
        Map<Long, ObjectTable.Entry> expected = new HashMap<>();
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ObjectId id = shard.newId(ObjectId.Type.MBLOCK);
            ObjectTable.Entry e = commitMblock(shard, id);
            expected.put(id.value(), e);
            ids.add(id);
            assertThat(shard.table().get(id.value()))
                    .as("table entry of %s right after its commit", id)
                    .isEqualTo(e);
        }
        for (int i = 0; i < 10; i++) {
            ObjectId id = shard.newId(ObjectId.Type.MLOG);
            shard.commit(
                    new CatalogRecord.Mlog(id.value(), MediaClass.STAGING.code(), 500 + 4 * i, 1 + i % 4, 0), true);
            ObjectTable.Entry e =
                    new ObjectTable.Mlog(id.value(), MediaClass.STAGING, 500 + 4 * i, 1 + i % 4, 0, false);
            expected.put(id.value(), e);
            ids.add(id);
            assertThat(shard.table().get(id.value()))
                    .as("table entry of mlog %s", id)
                    .isEqualTo(e);
        }
        for (int i = 0; i < ids.size(); i += 3) {
            ObjectId id = ids.get(i);
            ObjectTable.Entry deleted = shard.delete(id, NOT_BUSY);
            assertThat(deleted).as("entry returned by delete(%s)", id).isEqualTo(expected.remove(id.value()));
            assertThat(shard.table().get(id.value()))
                    .as("table entry of deleted %s", id)
                    .isNull();
        }
        assertThat(MetaLogs.contents(shard.table())).as("table before reopen").isEqualTo(expected);
        shard.close();
        Shard reopened = open(mem, NEVER_CALLED);
        assertThat(MetaLogs.contents(reopened.table())).as("table after reopen").isEqualTo(expected);
        assertThat(reopened.index()).as("index").isEqualTo(SHARD);
    }

    @Test
    void aBatchOfCommitsIsVisibleAndDurable() {
        MemoryDevice mem = device();
        Shard shard = create(mem);
        List<CatalogRecord.Mblock> batch = new ArrayList<>();
        Map<Long, ObjectTable.Entry> expected = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            ObjectId id = shard.newId(ObjectId.Type.MBLOCK);
            ObjectTable.Entry e = mblockEntry(id, MediaClass.CAPACITY, 1000 + i, i * 512L, i);
            batch.add(record(e));
            expected.put(id.value(), e);
        }
        shard.commit(List.of(), true);
        assertThat(shard.table().size()).as("table after an empty batch").isZero();
        shard.commit(batch, true);
        assertThat(MetaLogs.contents(shard.table())).as("table after the batch").isEqualTo(expected);
        // Durable when commitMblocks returns: a crash now keeps all of them (and the data check
        // is asked only about records no later fragment confirmed).
        MemoryDevice crashed = copy(mem);
        Shard reopened = open(crashed, m -> true);
        assertThat(MetaLogs.contents(reopened.table()))
                .as("table after a crash")
                .isEqualTo(expected);
    }

    @Test
    void deletingABusyObjectIsBusyAndLeavesIt() {
        MemoryDevice mem = device();
        Shard shard = create(mem);
        ObjectId id = shard.newId(ObjectId.Type.MBLOCK);
        ObjectTable.Entry e = commitMblock(shard, id);

        MpoolException busy = failure(() -> shard.delete(id, x -> x == id.value()));
        assertThat(busy).as("delete of a busy object").isNotNull();
        assertThat(busy.code()).as("code of %s", busy).isEqualTo(ErrorCode.BUSY);
        assertThat(shard.table().get(id.value()))
                .as("entry after the refused delete")
                .isEqualTo(e);

        // Busy only at the second look (acquired between the first look and the mark): BUSY,
        // and the deleting mark is taken off again.
        AtomicInteger looks = new AtomicInteger();
        MpoolException late = failure(() -> shard.delete(id, x -> looks.incrementAndGet() > 1));
        assertThat(late).as("delete of an object acquired during the delete").isNotNull();
        assertThat(late.code()).as("code of %s", late).isEqualTo(ErrorCode.BUSY);
        assertThat(looks.get()).as("busy checks").isEqualTo(2);
        assertThat(shard.table().get(id.value()))
                .as("entry after the late refusal")
                .isEqualTo(e);

        // Marked deleting by another thread: BUSY too.
        assertThat(shard.table().setDeleting(id.value(), true)).as("mark").isTrue();
        MpoolException marked = failure(() -> shard.delete(id, NOT_BUSY));
        assertThat(marked.code()).as("code of %s", marked).isEqualTo(ErrorCode.BUSY);
        assertThat(shard.table().setDeleting(id.value(), false)).as("unmark").isTrue();

        shard.close();
        Shard reopened = open(mem, NEVER_CALLED);
        assertThat(reopened.table().get(id.value())).as("entry after reopen").isEqualTo(e);
        assertThat(reopened.delete(id, NOT_BUSY))
                .as("delete when no longer busy")
                .isEqualTo(e);
    }

    @Test
    void deletingAMissingObjectIsNotFound() {
        Shard shard = create(device());
        ObjectId never = ObjectId.of(12345, ObjectId.Type.MBLOCK, SHARD);
        MpoolException missing = failure(() -> shard.delete(never, NOT_BUSY));
        assertThat(missing).as("delete of an id never committed").isNotNull();
        assertThat(missing.code()).as("code of %s", missing).isEqualTo(ErrorCode.NOT_FOUND);
        ObjectId id = shard.newId(ObjectId.Type.MLOG);
        shard.commit(new CatalogRecord.Mlog(id.value(), MediaClass.CAPACITY.code(), 3, 1, 0), true);
        shard.delete(id, NOT_BUSY);
        MpoolException again = failure(() -> shard.delete(id, NOT_BUSY));
        assertThat(again.code()).as("second delete of %s: %s", id, again).isEqualTo(ErrorCode.NOT_FOUND);
    }

    // ---- compaction

    @Test
    void compactionKeepsExactlyTheLiveStateAndTheReservedIds() {
        MemoryDevice mem = device();
        Shard shard = create(mem);
        Map<Long, ObjectTable.Entry> expected = new HashMap<>();
        long lastHandedOut = 0;
        for (int i = 0; i < 60; i++) {
            ObjectId id = shard.newId(i % 5 == 0 ? ObjectId.Type.MLOG : ObjectId.Type.MBLOCK);
            if (id.type() == ObjectId.Type.MLOG) {
                shard.commit(new CatalogRecord.Mlog(id.value(), MediaClass.CAPACITY.code(), 200 + i, 2, 0), true);
                expected.put(id.value(), new ObjectTable.Mlog(id.value(), MediaClass.CAPACITY, 200 + i, 2, 0, false));
            } else {
                expected.put(id.value(), commitMblock(shard, id));
            }
            if (i % 4 == 1) {
                shard.delete(id, NOT_BUSY);
                expected.remove(id.value());
            }
        }
        for (int i = 0; i < 5; i++) { // handed out, never committed
            lastHandedOut = shard.newId(ObjectId.Type.MBLOCK).uniquifier();
        }
        long before = shard.metadataUsedBytes();
        shard.compact();
        long after = shard.metadataUsedBytes();
        assertThat(after).as("log bytes after compaction (before: %d)", before).isLessThan(before);
        assertThat(MetaLogs.contents(shard.table()))
                .as("table after compaction")
                .isEqualTo(expected);
        MemoryDevice crashed = copy(mem); // compaction ends with a sync: a crash keeps it
        shard.compact(); // and once more: back to the first log
        shard.close();

        for (MemoryDevice image : List.of(mem, crashed)) {
            Shard reopened = open(image, m -> true);
            assertThat(MetaLogs.contents(reopened.table()))
                    .as("table after reopen of %s", image.name())
                    .isEqualTo(expected);
            assertThat(reopened.newId(ObjectId.Type.MBLOCK).uniquifier())
                    .as(
                            "first uniquifier after compaction and reopen of %s (last handed out: %d)",
                            image.name(), lastHandedOut)
                    .isGreaterThan(lastHandedOut);
            reopened.close();
        }
    }

    /** Commits and deletes far beyond the log's size succeed: the shard compacts when its log is half full. */
    @Test
    void theShardCompactsItselfWhenItsLogFillsUp() {
        MemoryDevice mem = device();
        Shard shard = create(mem);
        Map<Long, ObjectTable.Entry> expected = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            ObjectId id = shard.newId(ObjectId.Type.MBLOCK);
            expected.put(id.value(), commitMblock(shard, id));
        }
        long capacity = shard.metadataCapacityBytes();
        assertThat(capacity).as("log capacity").isEqualTo(LOG_BLOCKS * MetaLogs.BLOCK);
        long appended = 0;
        long maxUsed = 0;
        for (int i = 0; i < 4000; i++) {
            long used = shard.metadataUsedBytes();
            ObjectId id = shard.newId(ObjectId.Type.MBLOCK);
            commitMblock(shard, id);
            shard.delete(id, NOT_BUSY);
            appended += Math.max(0, shard.metadataUsedBytes() - used);
            maxUsed = Math.max(maxUsed, shard.metadataUsedBytes());
        }
        assertThat(appended)
                .as("bytes appended in all (log capacity %d)", capacity)
                .isGreaterThan(capacity);
        assertThat(maxUsed).as("most log bytes in use").isLessThan(capacity);
        shard.close();
        Shard reopened = open(mem, NEVER_CALLED);
        assertThat(MetaLogs.contents(reopened.table())).as("table after reopen").isEqualTo(expected);
    }

    // ---- the data check of unconfirmed commits

    /**
     * A commit record that no later fragment confirms (the last group commit before a crash)
     * is kept only if its data checks out. Here the record is durable (its sync completed),
     * and only it is unconfirmed: the data check is asked about it alone.
     */
    @Test
    void anUnconfirmedCommitWhoseDataFailsTheCheckIsCancelledDurably() {
        MemoryDevice mem = device();
        Shard shard = create(mem);
        ObjectTable.Entry confirmed = commitMblock(shard, shard.newId(ObjectId.Type.MBLOCK));
        ObjectTable.Entry last = commitMblock(shard, shard.newId(ObjectId.Type.MBLOCK));
        MemoryDevice crashed = copy(mem); // no later fragment vouches for the last record

        List<CatalogRecord.Mblock> asked = new ArrayList<>();
        MemoryDevice keptImage = copy(crashed);
        Shard kept = open(keptImage, m -> asked.add(m));
        assertThat(asked).as("records the data check was asked about").containsExactly(record(last));
        assertThat(MetaLogs.contents(kept.table()))
                .as("table when the data matches")
                .containsOnlyKeys(confirmed.id(), last.id())
                .containsEntry(last.id(), last);
        kept.close();

        asked.clear();
        Shard cancelled = open(crashed, m -> {
            asked.add(m);
            return false;
        });
        assertThat(asked).as("records the data check was asked about").containsExactly(record(last));
        assertThat(MetaLogs.contents(cancelled.table()))
                .as("table when the data does not match")
                .containsOnlyKeys(confirmed.id())
                .containsEntry(confirmed.id(), confirmed);
        // The cancellation is durable before open returns (before any zone can be reused):
        // a crash right now, and a data check that would now pass, do not bring it back.
        MemoryDevice afterOpen = copy(crashed);
        Shard again = open(afterOpen, m -> true);
        assertThat(again.table().get(last.id()))
                .as("cancelled commit after a second crash")
                .isNull();
        assertThat(again.table().get(confirmed.id()))
                .as("confirmed commit after a second crash")
                .isEqualTo(confirmed);
        again.close();
        cancelled.close();
        Shard clean = open(crashed, m -> true);
        assertThat(MetaLogs.contents(clean.table()))
                .as("table after a clean close")
                .containsOnlyKeys(confirmed.id());
    }

    /**
     * A commit whose flush failed (the record reached the device's cache, the flush did not
     * complete) then a crash: depending on the media the record is lost or kept, and if kept,
     * it stands or falls by its data.
     */
    @Test
    void aCommitWhoseFlushFailedStandsOrFallsByItsDataAfterACrash() {
        MemoryDevice mem = device();
        FaultInjectingDevice dev = closing(FaultInjectingDevice.forCrashes(mem));
        LogSpec[] l = logs(dev);
        Shard shard = Shard.create(SHARD, l[0], l[1], false);
        ObjectTable.Entry confirmed = commitMblock(shard, shard.newId(ObjectId.Type.MBLOCK));
        ObjectTable.Entry done = commitMblock(shard, shard.newId(ObjectId.Type.MBLOCK));
        ObjectId id = shard.newId(ObjectId.Type.MBLOCK);
        long writesBefore = dev.writeCount();
        dev.inject(new Fault(Op.FLUSH, ErrorCode.IO, 0, 1));
        MpoolException failed = failure(() -> commitMblock(shard, id));
        assertThat(failed).as("commit whose flush fails").isNotNull();
        assertThat(failed.code()).as("code of %s", failed).isEqualTo(ErrorCode.IO);
        assertThat(dev.writeCount()).as("writes of the failed commit").isGreaterThan(writesBefore);
        assertThat(dev.unflushedWriteCount()).as("unflushed writes").isPositive();
        ObjectTable.Entry lost = commitMblockEntry(id);
        MemoryDevice allKept = copy(mem); // the crash image in which every unflushed write survived
        MemoryDevice noneKept = closing(dev.durableImage());
        dev.crashNow();
        try {
            shard.close();
        } catch (MpoolException expected) {
            // the log failed: closing reports it
        }

        List<CatalogRecord.Mblock> asked = new ArrayList<>();
        Shard lostShard = open(noneKept, m -> asked.add(m));
        assertThat(MetaLogs.contents(lostShard.table()))
                .as("table when the record was lost")
                .containsOnlyKeys(confirmed.id(), done.id());
        assertThat(asked).as("data checks when the record was lost").containsExactly(record(done));

        asked.clear();
        Shard keptShard = open(copy(allKept), m -> asked.add(m));
        assertThat(asked).as("data checks when the record was kept").containsExactly(record(lost));
        assertThat(MetaLogs.contents(keptShard.table()))
                .as("table when the record and its data were kept")
                .containsOnlyKeys(confirmed.id(), done.id(), lost.id())
                .containsEntry(lost.id(), lost);

        asked.clear();
        Shard cancelled = open(allKept, m -> {
            asked.add(m);
            return false;
        });
        assertThat(asked).as("data checks when the data was not kept").containsExactly(record(lost));
        assertThat(MetaLogs.contents(cancelled.table()))
                .as("table when the record was kept but not its data")
                .containsOnlyKeys(confirmed.id(), done.id());
        cancelled.close();
        Shard reopened = open(allKept, NEVER_CALLED);
        assertThat(reopened.table().get(lost.id()))
                .as("cancelled commit after reopen")
                .isNull();
    }

    /** The fields commitMblock(shard, id) commits for {@code id}. */
    private static ObjectTable.Entry commitMblockEntry(ObjectId id) {
        MediaClass mc = MediaClass.values()[(int) (id.uniquifier() % 2)];
        return mblockEntry(id, mc, 100 + id.uniquifier(), 4096 * (id.uniquifier() % 7 + 1), (int)
                (id.value() * 0x9E3779B97F4A7C15L >>> 32));
    }

    /**
     * A compaction copies records that flushes confirmed long ago into the other log. A crash
     * right after it must not make them look like the last group commit: the data check is for
     * commits that may not have completed, and it cancels an object whose data does not match,
     * so asking it about old commits would read the data of every live mblock at open and
     * silently delete any whose data has since been damaged instead of reporting it.
     */
    @Test
    void aCrashRightAfterACompactionDoesNotPutTheCopiedCommitsToTheDataCheck() {
        MemoryDevice mem = device();
        Shard shard = create(mem);
        Map<Long, ObjectTable.Entry> expected = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            ObjectId id = shard.newId(ObjectId.Type.MBLOCK);
            expected.put(id.value(), commitMblock(shard, id));
        }
        shard.compact();
        MemoryDevice crashed = copy(mem);
        List<CatalogRecord.Mblock> asked = new ArrayList<>();
        Shard reopened = open(crashed, m -> asked.add(m));
        assertThat(asked)
                .as("records put to the data check after a crash right after a compaction")
                .isEmpty();
        assertThat(MetaLogs.contents(reopened.table())).as("table").isEqualTo(expected);
    }

    // ---- read-only

    @Test
    void loadSeesWhatOpenSeesAndWritesNothing() {
        MemoryDevice mem = device();
        Shard shard = create(mem);
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ObjectId id = shard.newId(i % 4 == 0 ? ObjectId.Type.MLOG : ObjectId.Type.MBLOCK);
            if (id.type() == ObjectId.Type.MLOG) {
                shard.commit(new CatalogRecord.Mlog(id.value(), MediaClass.STAGING.code(), 50 + i, 3, 0), true);
            } else {
                commitMblock(shard, id);
            }
            ids.add(id);
        }
        for (int i = 0; i < 40; i += 5) {
            shard.delete(ids.get(i), NOT_BUSY);
        }
        shard.compact();
        for (int i = 1; i < 40; i += 5) {
            shard.delete(ids.get(i), NOT_BUSY);
        }
        ObjectTable.Entry last = commitMblock(shard, shard.newId(ObjectId.Type.MBLOCK)); // unconfirmed after the crash
        MemoryDevice crashed = copy(mem);
        shard.close();

        for (boolean dataMatches : new boolean[] {true, false}) {
            MemoryDevice image = copy(crashed);
            MemoryDevice untouched = copy(crashed);
            Shard loaded = load(image, m -> dataMatches);
            assertThat(MetaLogs.sameBytes(image, untouched))
                    .as("device unchanged by load (data matches: %s)", dataMatches)
                    .isTrue();
            Shard opened = open(copy(crashed), m -> dataMatches);
            Map<Long, ObjectTable.Entry> openTable = MetaLogs.contents(opened.table());
            assertThat(MetaLogs.contents(loaded.table()))
                    .as("table of load (data matches: %s)", dataMatches)
                    .isEqualTo(openTable);
            assertThat(openTable.containsKey(last.id()))
                    .as("unconfirmed commit kept (data matches: %s)", dataMatches)
                    .isEqualTo(dataMatches);
            assertThat(openTable)
                    .as("table of open (data matches: %s)", dataMatches)
                    .hasSize(40 - 8 - 8 + (dataMatches ? 1 : 0));
            assertThat(loaded.metadataUsedBytes())
                    .as("metadata bytes of a loaded shard")
                    .isZero();

            ObjectId someId = ids.get(2);
            for (Runnable write : List.<Runnable>of(
                    () -> loaded.newId(ObjectId.Type.MBLOCK),
                    () -> loaded.commit(new CatalogRecord.Mblock(someId.value(), 0, 1, 1, 1, 0), true),
                    () -> loaded.commit(List.of(new CatalogRecord.Mblock(someId.value(), 0, 1, 1, 1, 0)), true),
                    () -> loaded.commit(
                            new CatalogRecord.Mlog(
                                    ObjectId.of(999, ObjectId.Type.MLOG, SHARD).value(), 0, 1, 1, 0),
                            true),
                    () -> loaded.delete(someId, NOT_BUSY),
                    loaded::compact)) {
                MpoolException e = failure(write);
                assertThat(e).as("a change to a loaded shard").isNotNull();
                assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.PERMISSION);
            }
            loaded.close();
            assertThat(MetaLogs.sameBytes(image, untouched))
                    .as("device unchanged by the refused changes")
                    .isTrue();
        }
    }

    // ---- damage

    @Test
    void aConfigurationRecordInAShardIsCorrupt() {
        MemoryDevice mem = holding(new CatalogRecord.Config("name", "value"));
        for (boolean readOnly : new boolean[] {false, true}) {
            MpoolException e = failure(() -> {
                if (readOnly) {
                    load(mem, NEVER_CALLED);
                } else {
                    open(mem, NEVER_CALLED);
                }
            });
            assertThat(e)
                    .as("%s of a shard holding a CONFIG record", readOnly ? "load" : "open")
                    .isNotNull();
            assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.CORRUPT);
            assertThat(e.getMessage()).as("message of %s", e).contains("shard " + SHARD);
        }
    }

    /** A shard's media whose log holds {@code r} alone, durable. */
    private MemoryDevice holding(CatalogRecord r) {
        MemoryDevice mem = device();
        LogSpec[] l = logs(mem);
        try (LogPair mdc = LogPair.create(l[0], l[1], false)) {
            mdc.append(CatalogRecord.encode(r), true);
        }
        return mem;
    }

    private void assertOpenIsCorrupt(MemoryDevice mem, CatalogRecord r) {
        Throwable t = catchThrowable(() -> open(mem, m -> true));
        assertThat(t).as("open of a shard holding %s", r).isInstanceOf(MpoolException.class);
        assertThat(((MpoolException) t).code()).as("code of %s", t).isEqualTo(ErrorCode.CORRUPT);
    }

    /** Fields the table cannot hold (zones of 48 bits, lengths of 31) are damage, reported as such. */
    @Test
    void aCommitRecordWithFieldsOutOfRangeIsCorrupt() {
        long id = ObjectIdBits.pack(5, ObjectIdBits.TYPE_MBLOCK, SHARD);
        long mlogId = ObjectIdBits.pack(6, ObjectIdBits.TYPE_MLOG, SHARD);
        List<CatalogRecord> bad = List.of(
                new CatalogRecord.Mblock(id, 0, 1L << 48, 4096, 0, 0),
                new CatalogRecord.Mblock(id, 0, -1, 4096, 0, 0),
                new CatalogRecord.Mblock(id, 0, 3, 1L << 40, 0, 0),
                new CatalogRecord.Mblock(id, 0, 3, -1, 0, 0),
                new CatalogRecord.Mlog(mlogId, 1, 1L << 50, 2, 0),
                new CatalogRecord.Mlog(mlogId, 1, 7, 1L << 33, 0));
        for (CatalogRecord r : bad) {
            assertOpenIsCorrupt(holding(r), r);
        }
    }

    /** The limits themselves fit: the last zone the table holds and the longest length, and one past each does not. */
    @Test
    void aCommitRecordAtTheLimitsFitsAndOnePastThemIsCorrupt() {
        long id = ObjectIdBits.pack(5, ObjectIdBits.TYPE_MBLOCK, SHARD);
        long mlogId = ObjectIdBits.pack(6, ObjectIdBits.TYPE_MLOG, SHARD);
        long mdcId = ObjectIdBits.pack(7, ObjectIdBits.TYPE_MDC, SHARD);
        long lastZone = ObjectTable.ZONE_LIMIT - 1;
        List<CatalogRecord> fit = List.of(
                new CatalogRecord.Mblock(id, 0, lastZone, Integer.MAX_VALUE, 0, 0),
                new CatalogRecord.Mlog(mlogId, 1, 0, Integer.MAX_VALUE, 0),
                // An MDC's two logs together: 2 x zonesPerLog zones.
                new CatalogRecord.Mdc(mdcId, 0, lastZone, Integer.MAX_VALUE / 2, 0));
        for (CatalogRecord r : fit) {
            try (Shard shard = open(holding(r), m -> true)) {
                assertThat(shard.table().size()).as("a shard holding %s", r).isEqualTo(1);
            }
        }
        List<CatalogRecord> past = List.of(
                new CatalogRecord.Mblock(id, 0, lastZone + 1, 4096, 0, 0),
                new CatalogRecord.Mblock(id, 0, 3, Integer.MAX_VALUE + 1L, 0, 0),
                new CatalogRecord.Mlog(mlogId, 1, 0, Integer.MAX_VALUE + 1L, 0),
                new CatalogRecord.Mdc(mdcId, 0, lastZone + 1, 1, 0),
                new CatalogRecord.Mdc(mdcId, 0, 3, Integer.MAX_VALUE / 2 + 1, 0));
        for (CatalogRecord r : past) {
            assertOpenIsCorrupt(holding(r), r);
        }
    }

    @Test
    void aRecordThatDoesNotDecodeIsCorrupt() {
        MemoryDevice mem = device();
        LogSpec[] l = logs(mem);
        try (LogPair mdc = LogPair.create(l[0], l[1], false)) {
            mdc.append(new byte[] {CatalogRecord.DELETE, 1, 2, 3}, true);
        }
        MpoolException e = failure(() -> open(mem, NEVER_CALLED));
        assertThat(e).as("open of a shard holding a truncated DELETE").isNotNull();
        assertThat(e.code()).as("code of %s", e).isEqualTo(ErrorCode.CORRUPT);
        assertThat(e.getMessage())
                .as("message of %s", e)
                .contains("metadata shard " + SHARD)
                .contains("truncated");
    }
}
