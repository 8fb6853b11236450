package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretsTest {

    @Test
    void secretsAreMadeOnceAndReadBackBySecondProcesses(@TempDir Path dir) {
        Path data = dir.resolve("data");
        assertThat(LocalSecrets.find(data)).isEmpty();
        LocalSecrets made = LocalSecrets.loadOrCreate(data);
        assertThat(made.signingToken()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(made.apiKey()).startsWith("fd_");
        assertThat(LocalSecrets.loadOrCreate(data)).isEqualTo(made);
        assertThat(LocalSecrets.find(data)).contains(made);
        assertThat(made.toString()).doesNotContain(made.signingToken());
    }
}
