package dev.frontdesk.sms.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.StoreUnavailableException;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StoreHealthTest {

    @Test
    void upWithTheQueueDepthWhileTheStoreAnswersDownWithoutTheDriversWordsWhenItDoesNot() {
        AtomicBoolean down = new AtomicBoolean();
        InMemoryLeadRepository real = new InMemoryLeadRepository();
        LeadRepository store = (LeadRepository) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{LeadRepository.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("checkAvailable") && down.get()) {
                        throw new StoreUnavailableException("Connection refused: db.internal:5432 user=app");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        FrontDesk desk = FrontDesk.builder().config(FrontDeskConfig.builder().build()).repository(store)
                .gateway(new SimulatedSmsGateway(null)).build();
        StoreHealth health = new StoreHealth(desk);

        StoreHealth.Result up = health.check();
        assertThat(up.up()).isTrue();
        assertThat(up.details()).containsEntry("replyQueueDepth", 0L).containsEntry("twilio", "simulated");

        down.set(true);
        StoreHealth.Result result = health.check();
        assertThat(result.up()).isFalse();
        assertThat(result.details().toString()).doesNotContain("db.internal").doesNotContain("user=app");
    }
}
