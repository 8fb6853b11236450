package dev.frontdesk.sms.example;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;

/**
 * Secrets the example app makes up when the environment gives none, kept in {@code data/local-secrets.properties}
 * so that they survive restarts and so that the simulator, started as a second process in the same
 * directory, signs its webhooks with the token the app checks them against.
 *
 * <ul>
 *   <li>{@code signing-token}: stands in for {@code TWILIO_AUTH_TOKEN} when validating webhook signatures
 *       without Twilio credentials (with credentials, Twilio signs with the auth token and that is used).</li>
 *   <li>{@code api-key}: the dashboard's and admin API's key when {@code FRONTDESK_API_KEY} is unset.</li>
 * </ul>
 *
 * Immutable and thread-safe once created.
 */
record LocalSecrets(String signingToken, String apiKey) {
    static final String FILE_NAME = "local-secrets.properties";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Reads the secrets from {@code dataDir}, creating the directory, the file and any missing secret.
     *
     * @throws UncheckedIOException when the directory or file cannot be written
     */
    static LocalSecrets loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            DataDirectory.create(dataDir);
            Properties p = read(file).orElseGet(Properties::new);
            boolean changed = false;
            if (blank(p.getProperty("signing-token"))) {
                p.setProperty("signing-token", randomToken(24));
                changed = true;
            }
            if (blank(p.getProperty("api-key"))) {
                p.setProperty("api-key", "fd_" + randomToken(24));
                changed = true;
            }
            if (changed) {
                write(file, p);
            }
            return new LocalSecrets(p.getProperty("signing-token"), p.getProperty("api-key"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep the local secrets in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the secrets if the app has created them already; never writes. */
    static Optional<LocalSecrets> find(Path dataDir) {
        try {
            return read(dataDir.resolve(FILE_NAME))
                    .filter(p -> !blank(p.getProperty("signing-token")))
                    .map(p -> new LocalSecrets(p.getProperty("signing-token"), p.getProperty("api-key")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Properties> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return Optional.of(p);
    }

    private static void write(Path file, Properties p) throws IOException {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Made up by the frontdesk-sms example app; delete to get new ones. Keep private.");
        }
        try {
            Files.setPosixFilePermissions(tmp, DataDirectory.FILE);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the directory's own permissions apply
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "LocalSecrets[***]";
    }
}
