package dev.frontdesk.sms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.ChangeListener;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.LeadStore;
import dev.frontdesk.sms.MessageStore;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.StoreChange;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The store as the front desk sees it: writes that change a lead or message are published, everything delegated. */
class ChangeTrackingTest {
    private static final String BUSINESS = "+15550001111";

    /** A default method left to the interface would bypass the store's own implementation of it. */
    @Test
    void everyMethodOfTheFourInterfacesIsOverriddenDefaultsIncluded() {
        assertOverridesAll(ChangeTracking.class, LeadRepository.class);
        for (Class<?> inner : ChangeTracking.class.getDeclaredClasses()) {
            for (Class<?> spi : List.of(LeadStore.class, MessageStore.class, ReplyQueue.class)) {
                if (spi.isAssignableFrom(inner)) {
                    assertOverridesAll(inner, spi);
                }
            }
        }
        assertThat(Arrays.stream(ChangeTracking.class.getDeclaredClasses()).filter(c -> c.getInterfaces().length > 0)).hasSize(3);
    }

    private static void assertOverridesAll(Class<?> impl, Class<?> spi) {
        List<String> missing = new ArrayList<>();
        for (Method m : spi.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                impl.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertThat(missing).as(impl.getSimpleName() + " must delegate every method of " + spi.getSimpleName()).isEmpty();
    }

    @Test
    void storeWritesArePublishedAndReadsAreNot() {
        InMemoryLeadRepository store = new InMemoryLeadRepository();
        ChangeFeed feed = new ChangeFeed();
        List<StoreChange> seen = new CopyOnWriteArrayList<>();
        feed.subscribe(seen::add);
        ChangeTracking tracked = new ChangeTracking(store, feed);
        var inbound = tracked.recordInbound(TwilioWebhooks.inboundSms(Map.of("MessageSid", "SM7e570000000000000000000000000001",
                "From", "+15551234567", "To", BUSINESS, "Body", "Hi"), "US"), dev.frontdesk.sms.Keyword.NONE, java.time.Instant.now());
        long lead = inbound.lead().id();
        assertThat(seen).containsExactly(StoreChange.message(lead, inbound.message().id()));

        tracked.leads().findLead(lead);
        tracked.messages().history(lead, 10);
        tracked.leads().listLeads(10);
        assertThat(seen).hasSize(1);

        tracked.leads().setOptOut(lead, true, java.time.Instant.now());
        assertThat(seen).last().isEqualTo(StoreChange.lead(lead));
        tracked.recordInbound(TwilioWebhooks.inboundSms(Map.of("MessageSid", "SM7e570000000000000000000000000001",
                "From", "+15551234567", "To", BUSINESS, "Body", "Hi"), "US"), dev.frontdesk.sms.Keyword.NONE, java.time.Instant.now());
        assertThat(seen).as("a repeated delivery changes nothing").hasSize(2);
    }

    @Test
    void aListenerThatThrowsDoesNotFailTheWebhookNorStarveTheOthers() {
        InMemoryLeadRepository store = new InMemoryLeadRepository();
        SmsGateway gateway = gateway();
        FrontDesk desk = FrontDesk.builder().replySettle(Duration.ZERO).repository(store).gateway(gateway)
                .replyGenerator(ReplyGenerator.NONE)
                .config(FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS)).twilioTestMode(false).build()).build();
        try {
            List<StoreChange> seen = new CopyOnWriteArrayList<>();
            desk.onChange(c -> {
                throw new IllegalStateException("boom");
            });
            desk.onChange(seen::add);
            desk.receiveInbound(TwilioWebhooks.inboundSms(Map.of("MessageSid", "SM7e570000000000000000000000000002",
                    "From", "+15551234567", "To", BUSINESS, "Body", "Hi"), "US"));
            assertThat(seen).hasSize(1);
            desk.processNextReply(); // the fallback reply: recorded, then sent
            assertThat(seen).hasSize(3).allMatch(c -> c.kind() == StoreChange.Kind.MESSAGE);
            assertThat(seen.get(1)).isEqualTo(seen.get(2));
        } finally {
            desk.close();
        }
    }

    private static SmsGateway gateway() {
        return new SmsGateway() {
            @Override
            public SendResult send(dev.frontdesk.sms.OutboundSms sms) {
                return new SendResult("SM00000000000000000000000000000001", MessageStatus.QUEUED, 1, sms.from());
            }

            @Override
            public boolean isVerified(PhoneNumber number) {
                return true;
            }
        };
    }

    @Test
    void closingTheFrontDeskTellsTheListeners() {
        FrontDesk desk = FrontDesk.builder().repository(new InMemoryLeadRepository())
                .gateway(gateway())
                .config(FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS)).build()).build();
        boolean[] closed = {false};
        desk.onChange(new ChangeListener() {
            @Override
            public void onChange(StoreChange change) {
            }

            @Override
            public void onClosed() {
                closed[0] = true;
            }
        });
        desk.close();
        assertThat(closed[0]).isTrue();
    }
}
