package dev.frontdesk.sms.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventWebhooksTest {

    @Test
    void noUrlMeansNoEvents() {
        assertThat(EventWebhooks.fromEnvironment(Map.of())).isEmpty();
        assertThat(EventWebhooks.fromEnvironment(Map.of("EVENTS_WEBHOOK_URL", " ", "EVENTS_WEBHOOK_SECRET", "s"))).isEmpty();
    }

    @Test
    void readsUrlSecretAndFlag() {
        EventWebhooks w = EventWebhooks.fromEnvironment(Map.of("EVENTS_WEBHOOK_URL", "https://crm.example.com/hooks/frontdesk?k=1",
                "EVENTS_WEBHOOK_SECRET", "whsec_abc", "EVENTS_ALLOW_PRIVATE", "true")).orElseThrow();
        assertThat(w.url().toString()).isEqualTo("https://crm.example.com/hooks/frontdesk?k=1");
        assertThat(w.secret()).isEqualTo("whsec_abc");
        assertThat(w.allowPrivate()).isTrue();
        assertThat(w.retryFor()).isEqualTo(EventWebhooks.DEFAULT_RETRY_FOR);
        assertThat(w.toString()).doesNotContain("whsec_abc").doesNotContain("k=1");
        assertThat(EventWebhooks.fromEnvironment(Map.of("EVENTS_WEBHOOK_URL", "https://crm.example.com/",
                "EVENTS_WEBHOOK_SECRET", "s")).orElseThrow().allowPrivate()).isFalse();
    }

    @Test
    void urlWithoutSecretIsAStartUpErrorNamingTheSecret() {
        assertThatThrownBy(() -> EventWebhooks.fromEnvironment(Map.of("EVENTS_WEBHOOK_URL", "https://crm.example.com/")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("EVENTS_WEBHOOK_SECRET is required when EVENTS_WEBHOOK_URL is set");
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> EventWebhooks.fromEnvironment(Map.of("EVENTS_WEBHOOK_URL", "crm.example.com",
                "EVENTS_WEBHOOK_SECRET", "s"))).isInstanceOf(ConfigurationException.class).hasMessageContaining("EVENTS_WEBHOOK_URL");
        assertThatThrownBy(() -> EventWebhooks.fromEnvironment(Map.of("EVENTS_WEBHOOK_URL", "https://crm.example.com/",
                "EVENTS_WEBHOOK_SECRET", "s", "EVENTS_ALLOW_PRIVATE", "maybe")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("EVENTS_ALLOW_PRIVATE");
        assertThatThrownBy(() -> EventWebhooks.builder().url("ftp://crm.example.com/").secret("s").build())
                .hasMessageContaining("EVENTS_WEBHOOK_URL");
        assertThatThrownBy(() -> EventWebhooks.builder().url("https://crm.example.com/").build())
                .hasMessageContaining("EVENTS_WEBHOOK_SECRET");
    }
}
