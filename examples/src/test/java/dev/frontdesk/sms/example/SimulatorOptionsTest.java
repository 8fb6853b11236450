package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {

    @Test
    void readsNameValuePairsRepeatsAndFlags() {
        Map<String, List<String>> opts = Simulator.options(new String[] {"simulate", "--from", "+15551234567",
                "--body", "Hi, I need help", "--media", "https://a/1.jpg", "--media=https://a/2.jpg", "--no-wait"});
        assertThat(opts.get("from")).containsExactly("+15551234567");
        assertThat(opts.get("body")).containsExactly("Hi, I need help");
        assertThat(opts.get("media")).containsExactly("https://a/1.jpg", "https://a/2.jpg");
        assertThat(opts).containsKey("no-wait");
    }

    @Test
    void refusesStrayArgumentsAndMissingValues() {
        assertThatThrownBy(() -> Simulator.options(new String[] {"simulate", "hello"})).hasMessageContaining("Unexpected argument");
        assertThatThrownBy(() -> Simulator.options(new String[] {"simulate", "--from"})).hasMessageContaining("--from needs a value");
    }

    @Test
    void simulateStatusRefusesASidTwilioWouldNeverSendBeforePosting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        // Port 9 (discard): were the simulator to post, it would fail to connect and say so instead.
        int code = new Simulator(Map.of("PORT", "9"), dir, print, print)
                .run(new String[] {"simulate-status", "--sid", "SM123", "--status", "delivered"});
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("--sid must be a Twilio message SID");
    }
}
