package dev.frontdesk.sms.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code data/}: the H2 database and the local secrets, readable by the app's user only. On a POSIX file system the
 * directory is {@code rwx------} (also when it exists already with wider permissions) and the files in it
 * {@code rw-------}; elsewhere (Windows) nothing is changed and the directory's inherited permissions apply.
 */
final class DataDirectory {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataDirectory() {
    }

    /**
     * Creates {@code dir} for its owner only, or narrows an existing one to its owner.
     *
     * @throws UncheckedIOException when it cannot be created
     */
    static void create(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                if (dir.getParent() != null) {
                    Files.createDirectories(dir.getParent());
                }
                try {
                    if (posix(dir.getParent() == null ? dir : dir.getParent())) {
                        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
                    } else {
                        Files.createDirectory(dir);
                    }
                } catch (FileAlreadyExistsException raced) {
                    // made by another process meanwhile; narrowed below
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + dir + ": " + e.getMessage(), e);
        }
        narrow(dir, DIRECTORY);
    }

    /** Narrows {@code dir} and every file directly in it (the database files H2 created, ...) to their owner. */
    static void restrictFiles(Path dir) {
        narrow(dir, DIRECTORY);
        if (!posix(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    narrow(f, FILE);
                }
            }
        } catch (IOException e) {
            log.warn("⚠️  Could not list {} to make its files private: {}", dir, e.getMessage());
        }
    }

    private static void narrow(Path p, Set<PosixFilePermission> permissions) {
        if (!posix(p)) {
            return;
        }
        try {
            if (!Files.getPosixFilePermissions(p).equals(permissions)) {
                Files.setPosixFilePermissions(p, permissions);
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("⚠️  Could not make {} private ({}): {}", p, PosixFilePermissions.toString(permissions), e.getMessage());
        }
    }

    private static boolean posix(Path p) {
        try {
            return Files.getFileStore(p).supportsFileAttributeView(PosixFileAttributeView.class);
        } catch (IOException e) {
            return false;
        }
    }
}
