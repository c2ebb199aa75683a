package dev.orchardmdm.cli.certs;

import dev.orchardmdm.cli.CliException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files written together or not at all. Each file is first written to a temporary file beside its
 * target; {@link #commit()} moves them into place, refusing to overwrite anything, and takes back
 * the ones already moved if one move fails. {@link #close()} removes whatever was not committed.
 */
final class FileSet implements AutoCloseable {
    private final Map<Path, Path> staged = new LinkedHashMap<>();
    private boolean committed;

    /**
     * Checks that none of {@code targets} exists.
     *
     * @throws CliException naming the first file that would be overwritten
     */
    static void requireAbsent(Path... targets) throws CliException {
        for (Path target : targets) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new CliException(target + " already exists; it would be overwritten."
                        + " Move it away first, or use another directory.");
            }
        }
    }

    /**
     * Writes {@code content} to a temporary file beside {@code target}. Secret files are readable by
     * their owner only, the others by everyone.
     */
    void stage(Path target, byte[] content, boolean secret) throws CliException {
        if (committed || staged.containsKey(target)) {
            throw new IllegalStateException("cannot stage " + target);
        }
        requireAbsent(target);
        Path dir = target.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            staged.put(target, tmp);
            setPermissions(tmp, secret ? "rw-------" : "rw-r--r--");
            Files.write(tmp, content);
        } catch (IOException e) {
            throw new CliException("cannot write in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Moves every staged file into place, or none. */
    void commit() throws CliException {
        List<Path> moved = new ArrayList<>();
        try {
            for (Map.Entry<Path, Path> e : staged.entrySet()) {
                Files.move(e.getValue(), e.getKey());
                moved.add(e.getKey());
            }
            committed = true;
        } catch (FileAlreadyExistsException e) {
            undo(moved);
            throw new CliException(e.getFile() + " appeared while writing; nothing was written.", e);
        } catch (IOException e) {
            undo(moved);
            throw new CliException("cannot move files into place: " + e.getMessage() + "; nothing was written.", e);
        }
    }

    private static void undo(List<Path> moved) {
        for (Path p : moved) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: the original error is what the user needs to see
            }
        }
    }

    private static void setPermissions(Path file, String permissions) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        }
    }

    @Override
    public void close() {
        if (!committed) {
            for (Path tmp : staged.values()) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more can be done about a temporary file that cannot be removed
                }
            }
        }
    }
}
