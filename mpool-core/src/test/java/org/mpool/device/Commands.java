package org.mpool.device;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs system commands (losetup, mount, flock, stat) for tests of real devices. */
final class Commands {
    private static final long TIMEOUT_SECONDS = 60;

    private Commands() {}

    record Result(int exitStatus, String stdout, String stderr) {
        boolean ok() {
            return exitStatus == 0;
        }

        @Override
        public String toString() {
            return "exit " + exitStatus + (stderr.isBlank() ? "" : ": " + stderr.strip());
        }
    }

    /** Runs {@code command} to completion; exit status 127 if it cannot be started. */
    static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            // The commands print a few lines at most, far less than a pipe holds.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, out, "timed out: " + List.of(command));
            }
            return new Result(p.exitValue(), out, err);
        } catch (IOException e) {
            return new Result(127, "", "cannot run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + List.of(command), e);
        }
    }

    /** Whether this JVM runs as root (the owner of /proc/self is the effective uid). */
    static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
