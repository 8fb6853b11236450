package dev.frontdesk.sms.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The servlet's own builder: it hands every handler setting to core's handler builder and checks its own. */
class FrontDeskServletTest {

    @Test
    void builderNamesTheWrongSetting() {
        assertThatThrownBy(() -> FrontDeskServlet.builder(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("frontDesk");
        try (FrontDesk frontDesk = FrontDesk.builder()
                .config(FrontDeskConfig.builder().publicBaseUrl("https://desk.example.com/sms/").build())
                .repository(new InMemoryLeadRepository()).gateway(new RecordingGateway()).build()) {
            assertThatThrownBy(() -> FrontDeskServlet.builder(frontDesk).bodyTimeout(Duration.ofMillis(500)).build())
                    .hasMessageContaining("bodyTimeout");
            assertThatThrownBy(() -> FrontDeskServlet.builder(frontDesk).maxJsonBytes(10).build()).hasMessageContaining("maxJsonBytes");
            assertThat(FrontDeskServlet.builder(frontDesk).build().handler().publicBaseUrl()).isEqualTo("https://desk.example.com/sms");
        }
    }
}
