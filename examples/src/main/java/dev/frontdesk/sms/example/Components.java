package dev.frontdesk.sms.example;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.openai.OpenAiReplyGenerator;
import dev.frontdesk.sms.twilio.TwilioSmsGateway;
import java.util.Map;
import javax.sql.DataSource;

/** Picks the implementation of each SPI from the configuration: the real ones when their credentials are set. */
final class Components {
    private Components() {
    }

    /** The JDBC store on the pool; its Flyway migrations run now. */
    static LeadRepository repository(DataSource dataSource) {
        return repository(dataSource, null);
    }

    /** The JDBC store on the pool, listening for other instances' reply jobs on {@code listen} (PostgreSQL) unless null. */
    static LeadRepository repository(DataSource dataSource, DataSource listen) {
        JdbcLeadRepository.Builder builder = JdbcLeadRepository.builder(dataSource);
        return (listen == null ? builder : builder.listenDataSource(listen)).build();
    }

    /**
     * Twilio when its variables are set ({@code TWILIO_API_BASE_URL} and {@code TWILIO_MAX_CONCURRENT_REQUESTS}
     * read too), else the console gateway.
     */
    static SmsGateway gateway(Map<String, String> env, FrontDeskConfig config) {
        if (config.twilioConfigured()) {
            return TwilioSmsGateway.Builder.fromEnvironment(env, config).build();
        }
        return new ConsoleSmsGateway(config.twilio().phoneNumber() == null ? null : config.twilio().phoneNumber().value());
    }

    /** OpenAI (or any compatible server at {@code OPENAI_BASE_URL}) when {@code OPENAI_API_KEY} is set, else fallback replies only. */
    static ReplyGenerator replyGenerator(Map<String, String> env, FrontDeskConfig config) {
        if (config.aiConfigured()) {
            return OpenAiReplyGenerator.Builder.fromEnvironment(env, config).build();
        }
        return ReplyGenerator.NONE;
    }
}
