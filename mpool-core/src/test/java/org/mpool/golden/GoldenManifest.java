package org.mpool.golden;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.mpool.common.MediaClass;
import org.mpool.common.ObjectId;

/**
 * What a golden image must be found to hold: its devices, the pool's identity and properties,
 * every live object with the SHA-256 of its bytes (an mblock's data, each record of an mlog),
 * and the ids that were deleted. Stored beside the images as {@code manifest.txt}, one fact a
 * line, fields separated by tabs, {@code #} starting a comment:
 *
 * <pre>
 * format    version
 * pool      name  uuid
 * device    class  path  bytes  file  sha256 of the uncompressed image
 * property  key  value
 * mblock    id  class  length  sha256 of the data
 * mlog      id  class  capacity bytes  generation  record count
 * mdc       id  class  capacity bytes of each log  record count        (version 2 on)
 * root      record count                                               (version 2 on)
 * record    mlog or mdc id, or "root"  index  length  sha256 of the record
 * owner     id  tag (hex)                                              (version 2 on; absent: 0)
 * deleted   id
 * </pre>
 *
 * <p>The format of this file is test code's, not the pool's: it may grow, but every released
 * manifest must stay readable, since released images and their manifests never change.
 */
record GoldenManifest(
        int formatVersion,
        String poolName,
        UUID poolUuid,
        List<Device> devices,
        SortedMap<String, String> properties,
        List<Mblock> mblocks,
        List<Mlog> mlogs,
        List<Mdc> mdcs,
        List<Record> rootRecords,
        Map<ObjectId, Long> owners,
        List<ObjectId> deleted) {

    /** A device of the image: where the pool expects it, how big it is, and which file holds it. */
    record Device(MediaClass mediaClass, Path path, long bytes, String file, String sha256) {}

    record Mblock(ObjectId id, MediaClass mediaClass, long length, String sha256) {}

    record Record(int length, String sha256) {
        static Record of(byte[] bytes) {
            return new Record(bytes.length, GoldenManifest.sha256(bytes));
        }
    }

    record Mlog(ObjectId id, MediaClass mediaClass, long capacityBytes, long generation, List<Record> records) {
        long recordBytes() {
            return records.stream().mapToLong(Record::length).sum();
        }
    }

    /** An MDC: its records, as a client reads them back. */
    record Mdc(ObjectId id, MediaClass mediaClass, long capacityBytes, List<Record> records) {
        long recordBytes() {
            return records.stream().mapToLong(Record::length).sum();
        }
    }

    GoldenManifest {
        devices = List.copyOf(devices);
        properties = new TreeMap<>(properties);
        mblocks = List.copyOf(mblocks);
        mlogs = List.copyOf(mlogs);
        mdcs = List.copyOf(mdcs);
        rootRecords = rootRecords == null ? null : List.copyOf(rootRecords);
        owners = new TreeMap<>(owners);
        deleted = List.copyOf(deleted);
    }

    /** The number of live objects: mblocks, mlogs and MDCs. */
    int objectCount() {
        return mblocks.size() + mlogs.size() + mdcs.size();
    }

    /** The owner tag of {@code id} (0: none). */
    long owner(ObjectId id) {
        return owners.getOrDefault(id, 0L);
    }

    /** The bytes {@code Mpool.check} reads and verifies: mblock data, and the records of mlogs, MDCs and the root MDC. */
    long checkedBytes() {
        return mblocks.stream().mapToLong(Mblock::length).sum()
                + mlogs.stream().mapToLong(Mlog::recordBytes).sum()
                + mdcs.stream().mapToLong(Mdc::recordBytes).sum()
                + (rootRecords == null
                        ? 0
                        : rootRecords.stream().mapToLong(Record::length).sum());
    }

    void write(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# Golden image of mpool format version ")
                .append(formatVersion)
                .append(": what GoldenImageTest must find in it.\n")
                .append("# Written by org.mpool.golden.GoldenImages. Released images and manifests never change.\n");
        line(out, "format", formatVersion);
        line(out, "pool", poolName, poolUuid);
        for (Device d : devices) {
            line(out, "device", d.mediaClass().label(), d.path(), d.bytes(), d.file(), d.sha256());
        }
        for (Map.Entry<String, String> p : properties.entrySet()) {
            line(out, "property", p.getKey(), p.getValue());
        }
        for (Mblock m : mblocks) {
            line(out, "mblock", m.id(), m.mediaClass().label(), m.length(), m.sha256());
        }
        for (Mlog m : mlogs) {
            line(
                    out,
                    "mlog",
                    m.id(),
                    m.mediaClass().label(),
                    m.capacityBytes(),
                    m.generation(),
                    m.records().size());
            for (int i = 0; i < m.records().size(); i++) {
                Record r = m.records().get(i);
                line(out, "record", m.id(), i, r.length(), r.sha256());
            }
        }
        for (Mdc m : mdcs) {
            line(
                    out,
                    "mdc",
                    m.id(),
                    m.mediaClass().label(),
                    m.capacityBytes(),
                    m.records().size());
            records(out, m.id().toString(), m.records());
        }
        if (rootRecords != null) {
            line(out, "root", rootRecords.size());
            records(out, "root", rootRecords);
        }
        for (Map.Entry<ObjectId, Long> o : owners.entrySet()) {
            line(out, "owner", o.getKey(), Long.toHexString(o.getValue()));
        }
        for (ObjectId id : deleted) {
            line(out, "deleted", id);
        }
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    static GoldenManifest read(Path file) throws IOException {
        int version = -1;
        String name = null;
        UUID uuid = null;
        List<Device> devices = new ArrayList<>();
        SortedMap<String, String> properties = new TreeMap<>();
        List<Mblock> mblocks = new ArrayList<>();
        List<ObjectId> mlogIds = new ArrayList<>();
        Map<ObjectId, String[]> mlogLines = new TreeMap<>();
        Map<String, List<Record>> records = new TreeMap<>();
        List<String[]> mdcLines = new ArrayList<>();
        String[] rootLine = null;
        Map<ObjectId, Long> owners = new TreeMap<>();
        List<ObjectId> deleted = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            String where = file + ":" + (n + 1);
            switch (f[0]) {
                case "format" -> version = Integer.parseInt(fields(f, 2, where)[1]);
                case "pool" -> {
                    fields(f, 3, where);
                    name = f[1];
                    uuid = UUID.fromString(f[2]);
                }
                case "device" -> {
                    fields(f, 6, where);
                    devices.add(new Device(MediaClass.parse(f[1]), Path.of(f[2]), Long.parseLong(f[3]), f[4], f[5]));
                }
                case "property" -> properties.put(fields(f, 3, where)[1], f[2]);
                case "mblock" -> {
                    fields(f, 5, where);
                    mblocks.add(new Mblock(ObjectId.parse(f[1]), MediaClass.parse(f[2]), Long.parseLong(f[3]), f[4]));
                }
                case "mlog" -> {
                    fields(f, 6, where);
                    ObjectId id = ObjectId.parse(f[1]);
                    mlogIds.add(id);
                    mlogLines.put(id, f);
                    records.put(id.toString(), new ArrayList<>());
                }
                case "mdc" -> {
                    mdcLines.add(fields(f, 5, where));
                    records.put(ObjectId.parse(f[1]).toString(), new ArrayList<>());
                }
                case "root" -> {
                    rootLine = fields(f, 2, where);
                    records.put("root", new ArrayList<>());
                }
                case "owner" -> owners.put(ObjectId.parse(fields(f, 3, where)[1]), Long.parseUnsignedLong(f[2], 16));
                case "record" -> {
                    fields(f, 5, where);
                    List<Record> list = records.get(
                            f[1].equals("root") ? "root" : ObjectId.parse(f[1]).toString());
                    if (list == null || Integer.parseInt(f[2]) != list.size()) {
                        throw new IOException(where + ": record " + f[2] + " of " + f[1]
                                + " does not follow its mlog line or the record before it");
                    }
                    list.add(new Record(Integer.parseInt(f[3]), f[4]));
                }
                case "deleted" -> deleted.add(ObjectId.parse(fields(f, 2, where)[1]));
                default -> throw new IOException(where + ": unknown line kind '" + f[0] + "'");
            }
        }
        List<Mlog> mlogs = new ArrayList<>();
        for (ObjectId id : mlogIds) {
            String[] f = mlogLines.get(id);
            List<Record> rs = records.get(id.toString());
            if (rs.size() != Integer.parseInt(f[5])) {
                throw new IOException(
                        file + ": mlog " + id + " lists " + rs.size() + " records, its line says " + f[5]);
            }
            mlogs.add(new Mlog(id, MediaClass.parse(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), rs));
        }
        List<Mdc> mdcs = new ArrayList<>();
        for (String[] f : mdcLines) {
            List<Record> rs = records.get(ObjectId.parse(f[1]).toString());
            checkCount(file, "MDC " + f[1], rs, f[4]);
            mdcs.add(new Mdc(ObjectId.parse(f[1]), MediaClass.parse(f[2]), Long.parseLong(f[3]), rs));
        }
        List<Record> root = null;
        if (rootLine != null) {
            root = records.get("root");
            checkCount(file, "the root MDC", root, rootLine[1]);
        }
        if (version < 1 || name == null || devices.isEmpty()) {
            throw new IOException(file + ": no format, pool or device line");
        }
        return new GoldenManifest(
                version, name, uuid, devices, properties, mblocks, mlogs, mdcs, root, owners, deleted);
    }

    private static void checkCount(Path file, String what, List<Record> records, String count) throws IOException {
        if (records.size() != Integer.parseInt(count)) {
            throw new IOException(file + ": " + what + " lists " + records.size() + " records, its line says " + count);
        }
    }

    private static void records(StringBuilder out, String owner, List<Record> records) {
        for (int i = 0; i < records.size(); i++) {
            line(
                    out,
                    "record",
                    owner,
                    i,
                    records.get(i).length(),
                    records.get(i).sha256());
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    private static String[] fields(String[] f, int count, String where) throws IOException {
        if (f.length != count) {
            throw new IOException(where + ": a '" + f[0] + "' line has " + count + " fields, this one " + f.length);
        }
        return f;
    }

    private static void line(StringBuilder out, String kind, Object... fields) {
        out.append(kind);
        for (Object field : fields) {
            String s = String.valueOf(field);
            if (s.contains("\t") || s.contains("\n")) {
                throw new IllegalArgumentException("a manifest field cannot hold a tab or a newline: '" + s + "'");
            }
            out.append('\t').append(s);
        }
        out.append('\n');
    }
}
