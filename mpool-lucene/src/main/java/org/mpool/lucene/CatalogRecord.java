package org.mpool.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.mpool.common.ObjectId;

/**
 * The records of a directory's catalog MDC: every byte of the catalog's format is here. Each
 * record is one MDC record (mpool checksums it); its first byte is its type.
 *
 * <pre>
 * HEADER  0 | 'M' 'P' 'L' 'C' | version: vint            first record of a catalog and of every compaction
 * FILE    1 | name | length: vlong | n: vint | n × mblock id: int64 LE      a file in mblocks, in order
 * INLINE  2 | name | n: vint | n bytes                    a tiny file, its bytes here
 * DELETE  3 | name                                        the name is gone (its mblocks are freed after)
 * RENAME  4 | from | to                                   to must not exist; from's file keeps its data
 *
 * name := n: vint | n bytes of UTF-8          vint, vlong: Lucene's variable-length integers
 * </pre>
 *
 * <p>Replaying the records in order gives the namespace. A FILE or INLINE record for a name
 * that exists replaces it (it does not happen: Lucene never writes a name twice).
 */
sealed interface CatalogRecord {
    byte HEADER = 0;
    byte FILE = 1;
    byte INLINE = 2;
    byte DELETE = 3;
    byte RENAME = 4;
    /** "MPLC" read as a big-endian int. */
    int MAGIC = 0x4D504C43;

    int VERSION = 1;

    /** Starts a catalog, and every compacted state of it. */
    record Header(int version) implements CatalogRecord {}

    /** A file stored in mblocks: all but the last are full; the lengths add up to {@code length}. */
    record File(String name, long length, List<ObjectId> mblocks) implements CatalogRecord {
        public File {
            mblocks = List.copyOf(mblocks);
        }
    }

    /** A file stored in the record itself. */
    record Inline(String name, byte[] data) implements CatalogRecord {
        @Override
        public boolean equals(Object o) {
            return o instanceof Inline i && name.equals(i.name) && Arrays.equals(data, i.data);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Inline[" + name + ", " + data.length + " bytes]";
        }
    }

    record Delete(String name) implements CatalogRecord {}

    record Rename(String from, String to) implements CatalogRecord {}

    /** The record's bytes. */
    static byte[] encode(CatalogRecord r) {
        ByteBuffersDataOutput out = new ByteBuffersDataOutput();
        try {
            switch (r) {
                case Header h -> {
                    out.writeByte(HEADER);
                    out.writeByte((byte) (MAGIC >>> 24));
                    out.writeByte((byte) (MAGIC >>> 16));
                    out.writeByte((byte) (MAGIC >>> 8));
                    out.writeByte((byte) MAGIC);
                    out.writeVInt(h.version());
                }
                case File f -> {
                    out.writeByte(FILE);
                    out.writeString(f.name());
                    out.writeVLong(f.length());
                    out.writeVInt(f.mblocks().size());
                    for (ObjectId id : f.mblocks()) {
                        out.writeLong(id.value());
                    }
                }
                case Inline i -> {
                    out.writeByte(INLINE);
                    out.writeString(i.name());
                    out.writeVInt(i.data().length);
                    out.writeBytes(i.data(), i.data().length);
                }
                case Delete d -> {
                    out.writeByte(DELETE);
                    out.writeString(d.name());
                }
                case Rename n -> {
                    out.writeByte(RENAME);
                    out.writeString(n.from());
                    out.writeString(n.to());
                }
            }
        } catch (IOException e) {
            throw new AssertionError("a heap output does not fail", e);
        }
        return out.toArrayCopy();
    }

    /**
     * Decodes one record; {@code where} names the catalog in the error. Anything but a whole,
     * known record is a {@link CorruptIndexException}.
     */
    static CatalogRecord decode(byte[] bytes, String where) throws CorruptIndexException {
        if (bytes.length == 0) {
            throw new CorruptIndexException("empty catalog record", where);
        }
        ByteArrayDataInput in = new ByteArrayDataInput(bytes, 1, bytes.length - 1);
        CatalogRecord r;
        try {
            r = switch (bytes[0]) {
                case HEADER -> {
                    int magic = ((in.readByte() & 0xFF) << 24)
                            | ((in.readByte() & 0xFF) << 16)
                            | ((in.readByte() & 0xFF) << 8)
                            | (in.readByte() & 0xFF);
                    if (magic != MAGIC) {
                        throw new CorruptIndexException(
                                "catalog header magic is 0x" + Integer.toHexString(magic) + ", expected 0x"
                                        + Integer.toHexString(MAGIC),
                                where);
                    }
                    yield new Header(in.readVInt());
                }
                case FILE -> {
                    String name = in.readString();
                    long length = in.readVLong();
                    int n = in.readVInt();
                    if (n < 1 || (long) n * Long.BYTES > in.length() - in.getPosition()) {
                        throw new CorruptIndexException("file record of '" + name + "' lists " + n + " mblocks", where);
                    }
                    List<ObjectId> ids = new ArrayList<>(n);
                    for (int k = 0; k < n; k++) {
                        ids.add(new ObjectId(in.readLong()));
                    }
                    yield new File(name, length, ids);
                }
                case INLINE -> {
                    String name = in.readString();
                    int n = in.readVInt();
                    if (n < 0 || n > in.length() - in.getPosition()) {
                        throw new CorruptIndexException(
                                "inline record of '" + name + "' claims " + n + " bytes", where);
                    }
                    byte[] data = new byte[n];
                    in.readBytes(data, 0, n);
                    yield new Inline(name, data);
                }
                case DELETE -> new Delete(in.readString());
                case RENAME -> new Rename(in.readString(), in.readString());
                default -> throw new CorruptIndexException("unknown catalog record type " + bytes[0], where);
            };
        } catch (CorruptIndexException e) {
            throw e;
        } catch (IOException | RuntimeException e) { // a length past the end, a bad varint, a bad object id
            throw new CorruptIndexException("catalog record of type " + bytes[0] + " is malformed: " + e, where, e);
        }
        if (!in.eof()) {
            throw new CorruptIndexException(
                    "catalog record of type " + bytes[0] + " has " + (in.length() - in.getPosition())
                            + " bytes past its end",
                    where);
        }
        return r;
    }
}
