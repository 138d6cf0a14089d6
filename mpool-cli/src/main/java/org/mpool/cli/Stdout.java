package org.mpool.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output that remembers its first write error. {@link PrintStream} swallows write
 * errors (a full disk, {@code /dev/full}, a closed pipe), so a command would exit 0 having
 * written half its output; with this under {@code System.out} the command fails instead.
 * Binary output ({@code mblock get}, {@code mlog cat}) writes to {@link #stream()}, which throws
 * at once so the command stops at the first failed write.
 */
final class Stdout extends OutputStream {
    private static volatile Stdout installed;

    private final OutputStream fd = new FileOutputStream(FileDescriptor.out);
    private volatile IOException failure;

    private Stdout() {}

    /** Puts a guarded standard output under {@code System.out} (the command-line entry point does). */
    static void install() {
        Stdout out = new Stdout();
        installed = out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    /** Where binary output goes: a stream whose writes throw on failure. */
    static OutputStream stream() {
        Stdout out = installed;
        return out != null ? out : System.out; // in-process (tests): what they captured
    }

    /** The first write error, if any, after flushing what is buffered. */
    static IOException failure() {
        System.out.flush();
        Stdout out = installed;
        if (out != null && out.failure != null) {
            return out.failure;
        }
        return System.out.checkError() ? new IOException("write error") : null;
    }

    /** Whether {@code e} is a failure to write standard output. */
    static boolean isFailure(Throwable e) {
        Stdout out = installed;
        return out != null && out.failure != null && out.failure == e;
    }

    /** Whether {@code e} says the reader of a pipe went away (as {@code | head} does once it has enough). */
    static boolean isBrokenPipe(Throwable e) {
        return e.getMessage() != null && e.getMessage().contains("Broken pipe");
    }

    @Override
    public void write(int b) throws IOException {
        try {
            fd.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            fd.write(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private IOException failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return failure;
    }
}
