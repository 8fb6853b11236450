package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.frontdesk.sms.ConfigurationException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safe defaults of the example app: where it listens, and who may read {@code data/}. */
class ExampleAppBindAndDataTest {

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("frontdesk"));
        return env;
    }

    /** An IPv4 address of this machine that is not loopback, if it has one. */
    private static Optional<InetAddress> otherAddress() throws IOException {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        try (ExampleApp app = ExampleApp.start(env(), dir)) {
            assertThat(app.bindHost()).isEqualTo("127.0.0.1");
            assertThat(TestHttp.get(app, "/api/health", null).statusCode()).isEqualTo(200);
            Optional<InetAddress> other = otherAddress();
            if (other.isPresent()) {
                assertThat(connects(other.get(), app.port())).as("reachable at %s", other.get()).isFalse();
            }
            assertThat(app.localUrl()).isEqualTo("http://localhost:" + app.port() + "/");
        }
    }

    @Test
    void bindAddressChoosesWhereItListens() throws Exception {
        Map<String, String> env = env();
        env.put("BIND_ADDRESS", "0.0.0.0");
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            assertThat(app.bindHost()).isEqualTo("0.0.0.0");
            Optional<InetAddress> other = otherAddress();
            assumeTrue(other.isPresent(), "this machine has no address but loopback");
            assertThat(connects(other.get(), app.port())).as("reachable at %s", other.get()).isTrue();
        }
        Optional<InetAddress> other = otherAddress();
        assumeTrue(other.isPresent());
        env.put("BIND_ADDRESS", other.get().getHostAddress());
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            assertThat(app.bindHost()).isEqualTo(other.get().getHostAddress());
            assertThat(connects(InetAddress.getByName("127.0.0.1"), app.port())).as("on loopback too").isFalse();
            assertThat(app.localUrl()).isEqualTo("http://" + other.get().getHostAddress() + ":" + app.port() + "/");
        }
    }

    @Test
    void aBindAddressThatIsNoAddressIsAConfigurationErrorNamingIt() {
        Map<String, String> env = env();
        env.put("BIND_ADDRESS", "every interface please");
        assertThatThrownBy(() -> ExampleApp.start(env, dir)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("BIND_ADDRESS").hasMessageContaining("0.0.0.0");
    }

    @Test
    void dataDirectoryAndItsFilesAreForTheOwnerOnly() throws Exception {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class), "not a POSIX file system");
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0"); // the default database: H2 in data/
        Path data = dir.resolve("data");
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            assertThat(app.settings().databaseUrl()).startsWith("jdbc:h2:file:" + data.toAbsolutePath());
            assertPrivate(data, "local-secrets.properties", "frontdesk.mv.db");
        }

        // A data/ left readable by an older version is narrowed at the next start.
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("frontdesk.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(data.resolve(LocalSecrets.FILE_NAME), PosixFilePermissions.fromString("rw-r--r--"));
        try (ExampleApp app = ExampleApp.start(env, dir)) {
            assertThat(TestHttp.get(app, "/api/health", null).statusCode()).isEqualTo(200);
            assertPrivate(data, "local-secrets.properties", "frontdesk.mv.db");
        }
    }

    private static void assertPrivate(Path data, String... expected) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(data)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    names.add(f.getFileName().toString());
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
                }
            }
        }
        assertThat(names).contains(expected);
    }
}
