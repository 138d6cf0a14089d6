package org.mpool.golden;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.mpool.MblockWriter;
import org.mpool.Mdc;
import org.mpool.Mlog;
import org.mpool.Mpool;
import org.mpool.common.CreateOptions;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;
import org.mpool.common.ObjectInfo;
import org.mpool.format.FormatVersion;
import org.mpool.testing.MemoryDevice;
import org.mpool.testing.MemoryDevices;

/**
 * Golden images: a small pool of each released format version, kept compressed under
 * {@code src/test/resources/golden/v<version>/} with a {@link GoldenManifest} of what it holds,
 * which the current code must open, read and check ({@code GoldenImageTest}). See
 * docs/FORMAT.md §7.
 *
 * <p>This class also generates the image of the <em>current</em> version
 * ({@link FormatVersion#CURRENT}), in memory, under fixed device paths ({@link #CAPACITY_PATH},
 * {@link #STAGING_PATH}): MDC-0 records the staging device's path, so the reader serves the
 * devices under the same paths. It runs only when asked, once per format version:
 *
 * <pre>
 * . scripts/java25.sh
 * mvn -B -o -q test -pl mpool-core -Dtest=GoldenImageWriterTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dmpool.golden.write=true
 * </pre>
 *
 * <p>It refuses to write into a version directory that already holds files: released images
 * never change. {@code -Dmpool.golden.force=true} overwrites them, for a version that is not
 * released yet. The pool and device UUIDs and the creation time are random or the clock's (the
 * pool code chooses them), so two runs give different images; the data and the order of
 * operations are fixed.
 */
public final class GoldenImages {
    /** Where the images live on the class path, and under src/test/resources. */
    static final String RESOURCE_ROOT = "golden";

    static final Path CAPACITY_PATH = Path.of("/golden/capacity.img");
    static final Path STAGING_PATH = Path.of("/golden/staging.img");
    static final String MANIFEST_FILE = "manifest.txt";
    static final long CAPACITY_BYTES = 32L << 20;
    static final long STAGING_BYTES = 16L << 20;
    static final long MBLOCK_BYTES = 1L << 20;
    private static final Pattern VERSION_DIR = Pattern.compile("v([1-9][0-9]*)");
    private static final int CHUNK = 1 << 20;

    private GoldenImages() {}

    // ---------------------------------------------------------------- the images present

    /**
     * Every version directory under {@code golden/} on the class path, by version. Found by
     * listing, so a new version's images are tested as soon as they are added.
     */
    static SortedMap<Integer, Path> versions() {
        URL url = GoldenImages.class.getClassLoader().getResource(RESOURCE_ROOT);
        if (url == null) {
            throw new AssertionError("no '" + RESOURCE_ROOT + "' directory on the test class path");
        }
        if (!url.getProtocol().equals("file")) {
            throw new AssertionError("golden images must be read from a directory, not " + url);
        }
        SortedMap<Integer, Path> versions = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(Path.of(url.toURI()))) {
            dirs.filter(Files::isDirectory).forEach(d -> {
                Matcher m = VERSION_DIR.matcher(d.getFileName().toString());
                if (!m.matches()) {
                    throw new AssertionError(d + ": a golden image directory is named v<format version>");
                }
                versions.put(Integer.parseInt(m.group(1)), d);
            });
        } catch (IOException | URISyntaxException e) {
            throw new AssertionError("cannot list " + url, e);
        }
        return versions;
    }

    /** A golden image unpacked into memory devices, served under the paths its manifest names. */
    record Image(int version, GoldenManifest manifest, MemoryDevices devices, Map<MediaClass, MemoryDevice> media)
            implements AutoCloseable {
        MemoryDevice capacity() {
            return media.get(MediaClass.CAPACITY);
        }

        Path capacityPath() {
            return device(MediaClass.CAPACITY).path();
        }

        GoldenManifest.Device device(MediaClass mediaClass) {
            return manifest.devices().stream()
                    .filter(d -> d.mediaClass() == mediaClass)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the image has no " + mediaClass.label() + " device"));
        }

        @Override
        public void close() {
            media.values().forEach(MemoryDevice::close);
        }
    }

    /**
     * Unpacks the image in {@code versionDir}: each device of its manifest becomes a memory
     * device of the recorded size and contents (checked against the recorded SHA-256).
     */
    static Image load(int version, Path versionDir) throws IOException {
        GoldenManifest manifest = GoldenManifest.read(versionDir.resolve(MANIFEST_FILE));
        if (manifest.formatVersion() != version) {
            throw new AssertionError(versionDir + " holds a manifest of format version " + manifest.formatVersion());
        }
        MemoryDevices devices = new MemoryDevices();
        Map<MediaClass, MemoryDevice> media = new EnumMap<>(MediaClass.class);
        try {
            for (GoldenManifest.Device d : manifest.devices()) {
                MemoryDevice device = new MemoryDevice(d.path().toString(), d.bytes());
                media.put(d.mediaClass(), device);
                devices.put(d.path(), device);
                gunzip(versionDir.resolve(d.file()), device.media());
                String sha = sha256(device.media());
                if (!sha.equals(d.sha256())) {
                    throw new AssertionError(d.file() + " unpacks to bytes of SHA-256 " + sha + ", the manifest says "
                            + d.sha256() + ": the file was damaged or replaced");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            media.values().forEach(MemoryDevice::close);
            throw e;
        }
        return new Image(version, manifest, devices, media);
    }

    private static void gunzip(Path file, MemorySegment media) throws IOException {
        long offset = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), CHUNK)) {
            byte[] buf = new byte[CHUNK];
            for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; offset += n) {
                if (n > media.byteSize() - offset) {
                    throw new AssertionError(
                            file + " holds more than the " + media.byteSize() + " bytes of its device");
                }
                MemorySegment.copy(buf, 0, media, ValueLayout.JAVA_BYTE, offset, n);
            }
        }
        if (offset != media.byteSize()) {
            throw new AssertionError(file + " holds " + offset + " bytes, its device " + media.byteSize());
        }
    }

    static String sha256(MemorySegment media) {
        MessageDigest digest = GoldenManifest.digest();
        for (long off = 0; off < media.byteSize(); off += CHUNK) {
            digest.update(
                    media.asSlice(off, Math.min(CHUNK, media.byteSize() - off)).asByteBuffer());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    // ---------------------------------------------------------------- the generator

    /** Where the generator writes: the module's src/test/resources/golden (Surefire sets {@code basedir}). */
    static Path sourceRoot() {
        return Path.of(System.getProperty("basedir", "."), "src", "test", "resources", RESOURCE_ROOT);
    }

    /**
     * Builds the current version's image and writes it to {@code root/v<CURRENT>/}. Refuses
     * (IllegalStateException) if that directory holds files, unless {@code force}.
     */
    static Path writeCurrent(Path root, boolean force) throws IOException {
        Path dir = root.resolve("v" + FormatVersion.CURRENT);
        if (Files.isDirectory(dir) && !force) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.findAny().isPresent()) {
                    throw new IllegalStateException(dir + " already holds the golden image of format version "
                            + FormatVersion.CURRENT + ": released images never change (a format change adds a "
                            + "version; -Dmpool.golden.force=true overwrites an unreleased one)");
                }
            }
        }
        Files.createDirectories(dir);
        MemoryDevices devices = new MemoryDevices();
        try {
            GoldenManifest built = build(devices);
            verifyCopy(devices, built);
            for (GoldenManifest.Device d : built.devices()) {
                gzip(((MemoryDevice) devices.get(d.path())).media(), dir.resolve(d.file()));
            }
            built.write(dir.resolve(MANIFEST_FILE));
            return dir;
        } finally {
            for (Path p : List.of(CAPACITY_PATH, STAGING_PATH)) {
                if (devices.get(p) != null) {
                    devices.get(p).close();
                }
            }
        }
    }

    /** Checks, on copies of the devices (opening a pool writes to it), that the pool holds its manifest. */
    private static void verifyCopy(MemoryDevices devices, GoldenManifest manifest) {
        MemoryDevices copies = new MemoryDevices();
        List<MemoryDevice> opened = new ArrayList<>();
        try {
            for (GoldenManifest.Device d : manifest.devices()) {
                MemoryDevice copy = MemoryDevice.copyOf(devices.get(d.path()));
                opened.add(copy);
                copies.put(d.path(), copy);
            }
            try (Mpool pool = Mpool.open(CAPACITY_PATH, copies)) {
                GoldenChecks.verify(pool, manifest, "the image just generated");
            }
        } finally {
            opened.forEach(MemoryDevice::close);
        }
    }

    private static void gzip(MemorySegment media, Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), CHUNK) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            for (long off = 0; off < media.byteSize(); off += CHUNK) {
                out.write(media.asSlice(off, Math.min(CHUNK, media.byteSize() - off))
                        .toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    /** What the generator put in the pool, to become the manifest. */
    private static final class Expected {
        final Map<ObjectId, byte[]> mblocks = new LinkedHashMap<>();
        final Map<ObjectId, List<byte[]>> mlogs = new LinkedHashMap<>();
        final Map<ObjectId, List<byte[]>> mdcs = new LinkedHashMap<>();
        final List<byte[]> root = new ArrayList<>();
        final Map<ObjectId, Long> owners = new LinkedHashMap<>();
        final Map<ObjectId, Long> generations = new LinkedHashMap<>();
        final List<ObjectId> deleted = new ArrayList<>();
        final Random random = new Random(0x601D_1A6EL);

        /**
         * Random bytes of 16 values spread over 0..255 (multiples of 17): every bit position
         * varies, yet the images compress to half what uniform random bytes would.
         */
        byte[] bytes(int length) {
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++) {
                b[i] = (byte) (random.nextInt(16) * 17);
            }
            return b;
        }

        void append(Mlog log, int length, boolean sync) {
            byte[] record = bytes(length);
            log.append(record, sync);
            mlogs.get(log.id()).add(record);
        }

        void append(Mdc mdc, List<byte[]> into, int length, boolean sync) {
            byte[] record = bytes(length);
            mdc.append(record, sync);
            into.add(record);
        }

        void delete(Mpool pool, ObjectId id) {
            pool.delete(id);
            mblocks.remove(id);
            mlogs.remove(id);
            mdcs.remove(id);
            owners.remove(id);
            generations.remove(id);
            deleted.add(id);
        }
    }

    /**
     * Builds a pool of the current format in {@code devices}: a capacity and a staging device,
     * three metadata shards, objects in two of them; mblocks of a whole page, partial last pages
     * and no bytes at all, on both devices, two committed in one batch, some aborted; mlogs of
     * records from 0 bytes to several log blocks, written in two sessions (two writer epochs),
     * one erased and appended to again, one never written; mblocks deleted before and after a
     * metadata compaction, an mlog deleted before it; label, spare, owner and mode properties; a
     * rename. From format version 2: MDCs on both devices, one compacted by its client, one
     * deleted; records in the root MDC before and after its own compaction; owner tags on
     * objects of every type; deferred commits, some made durable by a flush, one by the close.
     * Closed cleanly. Returns what it holds.
     */
    static GoldenManifest build(MemoryDevices devices) {
        Expected x = new Expected();
        CreateOptions options = new CreateOptions()
                .size(CAPACITY_BYTES)
                .mblockSize(MBLOCK_BYTES)
                .staging(STAGING_PATH, STAGING_BYTES, MBLOCK_BYTES)
                .label("golden draft")
                .owner(1000, 1000, 0640)
                .sparePercent(5)
                .shards(3);
        String name;
        UUID uuid;
        SortedMap<String, String> properties;
        Map<ObjectId, Long> capacities = new LinkedHashMap<>();
        Map<ObjectId, MediaClass> classes = new LinkedHashMap<>();
        try (Mpool pool = Mpool.create("golden-draft", CAPACITY_PATH, options, devices);
                Arena arena = Arena.ofConfined()) {
            // Mblocks: a whole page, a partial last page (capacity and staging), several pages, none.
            mblock(pool, arena, x, MediaClass.CAPACITY, 4096);
            mblock(pool, arena, x, MediaClass.CAPACITY, 6000);
            mblock(pool, arena, x, MediaClass.STAGING, 5000);
            mblock(pool, arena, x, MediaClass.CAPACITY, 3 * 4096 + 123);
            mblock(pool, arena, x, MediaClass.CAPACITY, 0);
            ObjectId doomed = mblock(pool, arena, x, MediaClass.CAPACITY, 2000);
            ObjectId doomedLater = mblock(pool, arena, x, MediaClass.STAGING, 3000);
            try (MblockWriter aborted = pool.allocateMblock(MediaClass.CAPACITY)) {
                aborted.write(buffer(arena, x.bytes(4096)));
                aborted.abort();
            }

            // An mlog of two zones: records of many sizes, async and sync, one spanning three blocks.
            ObjectId journal = mlog(pool, x, MediaClass.CAPACITY, MBLOCK_BYTES + 1);
            try (Mlog log = pool.openMlog(journal)) {
                x.append(log, 0, false);
                x.append(log, 1, false);
                x.append(log, 17, false);
                x.append(log, 300, true);
                x.append(log, 4000, false);
                x.append(log, 9000, true);
                x.append(log, 2, false);
            }
            // An mlog on staging, erased in a later session and appended to again.
            ObjectId erased = mlog(pool, x, MediaClass.STAGING, MBLOCK_BYTES);
            try (Mlog log = pool.openMlog(erased)) {
                x.append(log, 100, true);
                x.append(log, 5000, false);
            }
            try (Mlog log = pool.openMlog(erased)) {
                log.erase();
                x.mlogs.get(erased).clear();
                x.generations.merge(erased, 1L, Long::sum);
                x.append(log, 64, false);
                x.append(log, 6000, true);
                x.append(log, 8, false);
            }
            // An mlog committed and never written.
            mlog(pool, x, MediaClass.CAPACITY, 4096);
            // An mlog deleted before the compaction.
            ObjectId gone = mlog(pool, x, MediaClass.CAPACITY, 4096);
            try (Mlog log = pool.openMlog(gone)) {
                x.append(log, 50, true);
            }
            x.delete(pool, gone);
            x.delete(pool, doomed);

            pool.setProperty(Mpool.PROP_LABEL, "golden image of format version " + FormatVersion.CURRENT);
            pool.compactMetadata();

            // After the compaction: a batch commit across both devices into the next shard, a
            // delete, a second session of the journal (a new writer epoch), a property, a rename.
            // Shards take turns in runs of allocations: abort allocations until the next shard's turn.
            int shard = 1;
            for (int i = 0; i < 1024 && shard == 1; i++) {
                try (MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY)) {
                    shard = w.id().shard();
                }
            }
            List<MblockWriter> batch =
                    List.of(pool.allocateMblock(MediaClass.STAGING), pool.allocateMblock(MediaClass.CAPACITY));
            int[] lengths = {4096 + 1, 2 * 4096};
            for (int i = 0; i < batch.size(); i++) {
                byte[] data = x.bytes(lengths[i]);
                batch.get(i).write(buffer(arena, data));
                x.mblocks.put(batch.get(i).id(), data);
            }
            pool.commit(batch);
            x.delete(pool, doomedLater);
            try (Mlog log = pool.openMlog(journal)) {
                x.append(log, 700, false);
                x.append(log, 4096, true);
            }
            pool.setProperty(Mpool.PROP_SPARE, "7");
            addVersionTwo(pool, arena, x);
            pool.rename("golden-v" + FormatVersion.CURRENT);

            for (ObjectInfo o : pool.objects()) {
                capacities.put(o.id(), o.lengthBytes());
                classes.put(o.id(), o.mediaClass());
            }
            name = pool.name();
            uuid = pool.uuid();
            properties = new TreeMap<>(pool.properties());
        }
        List<ObjectId> expectedIds = new ArrayList<>(x.mblocks.keySet());
        expectedIds.addAll(x.mlogs.keySet());
        expectedIds.addAll(x.mdcs.keySet());
        if (!classes.keySet().containsAll(expectedIds) || classes.size() != expectedIds.size()) {
            throw new AssertionError("the pool lists " + classes.keySet() + ", the generator made " + expectedIds);
        }

        List<GoldenManifest.Mblock> mblocks = new ArrayList<>();
        List<GoldenManifest.Mlog> mlogs = new ArrayList<>();
        List<GoldenManifest.Mdc> mdcs = new ArrayList<>();
        for (ObjectId id : classes.keySet()) {
            if (x.mdcs.containsKey(id)) {
                mdcs.add(new GoldenManifest.Mdc(
                        id,
                        classes.get(id),
                        capacities.get(id),
                        x.mdcs.get(id).stream().map(GoldenManifest.Record::of).toList()));
            } else if (x.mblocks.containsKey(id)) {
                byte[] data = x.mblocks.get(id);
                mblocks.add(new GoldenManifest.Mblock(id, classes.get(id), data.length, GoldenManifest.sha256(data)));
            } else {
                mlogs.add(new GoldenManifest.Mlog(
                        id,
                        classes.get(id),
                        capacities.get(id),
                        x.generations.get(id),
                        x.mlogs.get(id).stream().map(GoldenManifest.Record::of).toList()));
            }
        }
        List<GoldenManifest.Device> deviceList = new ArrayList<>();
        for (MediaClass mc : MediaClass.values()) {
            Path path = mc == MediaClass.CAPACITY ? CAPACITY_PATH : STAGING_PATH;
            MemoryDevice device = (MemoryDevice) devices.get(path);
            deviceList.add(new GoldenManifest.Device(
                    mc, path, device.sizeBytes(), mc.label() + ".img.gz", sha256(device.media())));
        }
        List<ObjectId> deleted = x.deleted.stream().sorted().toList();
        List<GoldenManifest.Record> root =
                x.root.stream().map(GoldenManifest.Record::of).toList();
        return new GoldenManifest(
                FormatVersion.CURRENT,
                name,
                uuid,
                deviceList,
                properties,
                mblocks,
                mlogs,
                mdcs,
                root,
                x.owners,
                deleted);
    }

    /** What format version 2 added: MDCs, the root MDC, owner tags, deferred commits. */
    private static void addVersionTwo(Mpool pool, Arena arena, Expected x) {
        // An MDC on capacity, compacted by its client: what it held before is replaced by its state.
        ObjectId catalog = pool.allocateMdc(MediaClass.CAPACITY, 64 * 1024);
        pool.commit(catalog, 0xC0FFEEL);
        x.owners.put(catalog, 0xC0FFEEL);
        List<byte[]> state = new ArrayList<>();
        x.mdcs.put(catalog, state);
        try (Mdc mdc = pool.openMdc(catalog)) {
            for (int i = 0; i < 5; i++) {
                x.append(mdc, state, 40 + i, i % 2 == 0);
            }
            mdc.compactStart();
            state.clear();
            x.append(mdc, state, 120, false);
            x.append(mdc, state, 5000, false);
            mdc.compactEnd();
            x.append(mdc, state, 7, true);
        }
        // An MDC on staging, and one deleted.
        ObjectId staged = pool.allocateMdc(MediaClass.STAGING, MBLOCK_BYTES);
        pool.commit(staged, 0);
        List<byte[]> stagedRecords = new ArrayList<>();
        x.mdcs.put(staged, stagedRecords);
        try (Mdc mdc = pool.openMdc(staged)) {
            x.append(mdc, stagedRecords, 3000, true);
        }
        ObjectId dropped = pool.allocateMdc(MediaClass.CAPACITY, 4096);
        pool.commit(dropped, 0);
        x.mdcs.put(dropped, new ArrayList<>());
        x.delete(pool, dropped);
        // The root MDC: a manifest naming the catalog, compacted once, then appended to.
        try (Mdc root = pool.rootMdc()) {
            x.append(root, x.root, 16, true);
            x.append(root, x.root, 2000, false);
            root.compactStart();
            x.root.clear();
            x.append(root, x.root, 32, false);
            root.compactEnd();
            x.append(root, x.root, 24, true);
        }
        // Owner tags on an mblock and an mlog; deferred commits: two made durable by flush(), one by the close.
        try (MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY)) {
            byte[] data = x.bytes(4096);
            w.owner(-2L).write(buffer(arena, data));
            w.commitDeferred();
            x.mblocks.put(w.id(), data);
            x.owners.put(w.id(), -2L);
        }
        ObjectId tagged = pool.allocateMlog(MediaClass.CAPACITY, 4096);
        pool.commit(tagged, 0x1234L);
        x.mlogs.put(tagged, new ArrayList<>());
        x.generations.put(tagged, 1L);
        x.owners.put(tagged, 0x1234L);
        try (MblockWriter w = pool.allocateMblock(MediaClass.STAGING)) {
            byte[] data = x.bytes(4096 + 17);
            w.write(buffer(arena, data));
            w.commitDeferred();
            x.mblocks.put(w.id(), data);
        }
        pool.flush();
        try (MblockWriter w = pool.allocateMblock(MediaClass.CAPACITY)) {
            byte[] data = x.bytes(100);
            w.write(buffer(arena, data));
            w.commitDeferred();
            x.mblocks.put(w.id(), data);
        }
    }

    private static ObjectId mblock(Mpool pool, Arena arena, Expected x, MediaClass mediaClass, int length) {
        byte[] data = x.bytes(length);
        try (MblockWriter w = pool.allocateMblock(mediaClass)) {
            if (length > 0) {
                w.write(buffer(arena, data));
            }
            w.commit();
            x.mblocks.put(w.id(), data);
            return w.id();
        }
    }

    private static ObjectId mlog(Mpool pool, Expected x, MediaClass mediaClass, long capacityBytes) {
        ObjectId id = pool.allocateMlog(mediaClass, capacityBytes);
        pool.commit(id, 0);
        x.mlogs.put(id, new ArrayList<>());
        x.generations.put(id, 1L);
        return id;
    }

    /** {@code data} in an aligned native buffer, exactly its length (a partial last page ends the mblock). */
    private static MemorySegment buffer(Arena arena, byte[] data) {
        MemorySegment buf = Mpool.allocateBuffer(arena, Math.max(4096, (data.length + 4095) / 4096 * 4096L));
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
        return buf.asSlice(0, data.length);
    }
}
