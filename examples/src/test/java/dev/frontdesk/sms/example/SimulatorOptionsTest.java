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
}
