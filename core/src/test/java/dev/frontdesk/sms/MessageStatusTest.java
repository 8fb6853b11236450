package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageStatusTest {

    /**
     * The expected rule, written out by hand for every status: the statuses it may move to. Every pair
     * not listed must be refused.
     */
    private static final Map<MessageStatus, Set<MessageStatus>> ALLOWED = Map.ofEntries(
            Map.entry(MessageStatus.PENDING, EnumSet.of(MessageStatus.ACCEPTED, MessageStatus.SCHEDULED, MessageStatus.QUEUED,
                    MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.PARTIALLY_DELIVERED, MessageStatus.DELIVERED,
                    MessageStatus.READ, MessageStatus.UNDELIVERED, MessageStatus.FAILED, MessageStatus.CANCELED)),
            Map.entry(MessageStatus.ACCEPTED, EnumSet.of(MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT,
                    MessageStatus.PARTIALLY_DELIVERED, MessageStatus.DELIVERED, MessageStatus.READ,
                    MessageStatus.UNDELIVERED, MessageStatus.FAILED, MessageStatus.CANCELED)),
            Map.entry(MessageStatus.SCHEDULED, EnumSet.of(MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT,
                    MessageStatus.PARTIALLY_DELIVERED, MessageStatus.DELIVERED, MessageStatus.READ,
                    MessageStatus.UNDELIVERED, MessageStatus.FAILED, MessageStatus.CANCELED)),
            Map.entry(MessageStatus.QUEUED, EnumSet.of(MessageStatus.SENDING, MessageStatus.SENT,
                    MessageStatus.PARTIALLY_DELIVERED, MessageStatus.DELIVERED, MessageStatus.READ,
                    MessageStatus.UNDELIVERED, MessageStatus.FAILED, MessageStatus.CANCELED)),
            Map.entry(MessageStatus.SENDING, EnumSet.of(MessageStatus.SENT, MessageStatus.PARTIALLY_DELIVERED,
                    MessageStatus.DELIVERED, MessageStatus.READ, MessageStatus.UNDELIVERED, MessageStatus.FAILED,
                    MessageStatus.CANCELED)),
            Map.entry(MessageStatus.SENT, EnumSet.of(MessageStatus.PARTIALLY_DELIVERED, MessageStatus.DELIVERED,
                    MessageStatus.READ, MessageStatus.UNDELIVERED, MessageStatus.FAILED, MessageStatus.CANCELED)),
            Map.entry(MessageStatus.PARTIALLY_DELIVERED, EnumSet.of(MessageStatus.DELIVERED, MessageStatus.READ,
                    MessageStatus.UNDELIVERED, MessageStatus.FAILED, MessageStatus.CANCELED)),
            Map.entry(MessageStatus.DELIVERED, EnumSet.of(MessageStatus.READ)),
            Map.entry(MessageStatus.READ, EnumSet.noneOf(MessageStatus.class)),
            Map.entry(MessageStatus.UNDELIVERED, EnumSet.noneOf(MessageStatus.class)),
            Map.entry(MessageStatus.FAILED, EnumSet.noneOf(MessageStatus.class)),
            Map.entry(MessageStatus.CANCELED, EnumSet.noneOf(MessageStatus.class)),
            Map.entry(MessageStatus.SIMULATED, EnumSet.noneOf(MessageStatus.class)),
            Map.entry(MessageStatus.RECEIVING, EnumSet.of(MessageStatus.RECEIVED)),
            Map.entry(MessageStatus.RECEIVED, EnumSet.noneOf(MessageStatus.class)));

    @Test
    void everyPairFollowsTheForwardOnlyRule() {
        assertThat(ALLOWED.keySet()).containsExactlyInAnyOrder(MessageStatus.values());
        int checked = 0;
        for (MessageStatus current : MessageStatus.values()) {
            for (MessageStatus update : MessageStatus.values()) {
                boolean expected = ALLOWED.get(current).contains(update);
                assertThat(current.canMoveTo(update))
                        .as("%s -> %s", current.wireName(), update.wireName())
                        .isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(MessageStatus.values().length * MessageStatus.values().length);
    }

    @Test
    void lateSentAfterDeliveredIsRefused() {
        assertThat(MessageStatus.DELIVERED.canMoveTo(MessageStatus.SENT)).isFalse();
        assertThat(MessageStatus.DELIVERED.canMoveTo(MessageStatus.QUEUED)).isFalse();
        assertThat(MessageStatus.SENT.canMoveTo(MessageStatus.DELIVERED)).isTrue();
    }

    @Test
    void finalStatusesNeverChange() {
        for (MessageStatus s : EnumSet.of(MessageStatus.UNDELIVERED, MessageStatus.FAILED, MessageStatus.CANCELED)) {
            assertThat(s.isFinal()).isTrue();
            assertThat(s.canMoveTo(MessageStatus.DELIVERED)).isFalse();
        }
        assertThat(MessageStatus.QUEUED.canMoveTo(null)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(MessageStatus.class)
    void wireNamesRoundTrip(MessageStatus status) {
        assertThat(MessageStatus.fromWire(status.wireName())).isEqualTo(status);
        assertThat(MessageStatus.fromWire(" " + status.wireName().toUpperCase() + " ")).isEqualTo(status);
    }

    @Test
    void unknownWireNamesAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> MessageStatus.fromWire("exploded"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("exploded");
        assertThatThrownBy(() -> MessageStatus.fromWire(""))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(MessageStatus.fromWire("partially_delivered")).isEqualTo(MessageStatus.PARTIALLY_DELIVERED);
    }
}
