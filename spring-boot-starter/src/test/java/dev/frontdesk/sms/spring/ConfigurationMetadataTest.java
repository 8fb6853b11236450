package dev.frontdesk.sms.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jar's configuration metadata, which IDEs read to complete and document the properties. */
class ConfigurationMetadataTest {

    @Test
    void everyDocumentedPropertyIsDescribedWithItsDefault() throws Exception {
        Map<String, JsonNode> properties = new HashMap<>();
        JsonNode metadata;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        metadata.path("properties").forEach(p -> properties.put(p.path("name").asText(), p));
        for (String name : new String[]{"frontdesk.enabled", "frontdesk.public-base-url", "frontdesk.api-key",
                "frontdesk.twilio.account-sid", "frontdesk.twilio.auth-token", "frontdesk.twilio.phone-number",
                "frontdesk.twilio.test-mode", "frontdesk.twilio.verified-numbers", "frontdesk.twilio.api-base-url",
                "frontdesk.openai.api-key", "frontdesk.openai.base-url", "frontdesk.openai.model",
                "frontdesk.business.name", "frontdesk.business.profile", "frontdesk.store.migrate", "frontdesk.servlet.path",
                "frontdesk.ai.provider", "frontdesk.ai.model", "frontdesk.follow-up-hours"}) {
            assertThat(properties).as(name).containsKey(name);
            assertThat(properties.get(name).path("description").asText()).as(name + " description").isNotBlank();
        }
        assertThat(properties.get("frontdesk.enabled").path("defaultValue").asBoolean()).isTrue();
        assertThat(properties.get("frontdesk.store.migrate").path("defaultValue").asBoolean()).isTrue();
        assertThat(properties.get("frontdesk.servlet.path").path("defaultValue").asText()).isEqualTo("/sms/*");

        Map<String, JsonNode> hints = new HashMap<>();
        metadata.path("hints").forEach(h -> hints.put(h.path("name").asText(), h));
        assertThat(hints).containsKeys("frontdesk.servlet.path", "frontdesk.ai.provider", "frontdesk.business.timezone",
                "frontdesk.follow-up-hours");
    }
}
