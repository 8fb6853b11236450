package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.internal.LogSafe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"+15551234567", "(555) 123-4567", "555.123.4567", "+1 555 123 4567", "1-555-123-4567", " 5551234567 "})
    void usInputBecomesE164(String input) {
        assertThat(PhoneNumber.parse(input).value()).isEqualTo("+15551234567");
    }

    @Test
    void otherRegionsAndCountryCodes() {
        assertThat(PhoneNumber.parse("020 7946 0018", "GB").value()).isEqualTo("+442079460018");
        assertThat(PhoneNumber.parse("+44 20 7946 0018", "US").value()).isEqualTo("+442079460018");
        assertThat(PhoneNumber.parse("030 123456", "de").value()).isEqualTo("+4930123456");
    }

    @Test
    void possibleButUnassignedNumbersAreAccepted() {
        // libphonenumber calls +1555... invalid (never assigned) but possible; Twilio's docs use them.
        assertThat(PhoneNumber.parse("+15550001111").value()).isEqualTo("+15550001111");
        assertThat(PhoneNumber.isPossible("+15550001111", "US")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "hello", "+1", "123", "+1555123456789012"})
    void impossibleInputIsRefusedWithAClearMessage(String input) {
        assertThatThrownBy(() -> PhoneNumber.parse(input))
                .isInstanceOf(InvalidPhoneNumberException.class)
                .hasMessageContaining("E.164")
                .extracting(e -> ((FrontDeskException) e).code()).isEqualTo("invalid_phone_number");
    }

    @Test
    void theConstructorAcceptsOnlyE164() {
        assertThat(new PhoneNumber("+15551234567").value()).isEqualTo("+15551234567");
        assertThatThrownBy(() -> new PhoneNumber("5551234567")).isInstanceOf(InvalidPhoneNumberException.class);
        assertThatThrownBy(() -> new PhoneNumber("+05551234567")).isInstanceOf(InvalidPhoneNumberException.class);
        assertThatThrownBy(() -> new PhoneNumber("+1555123456789012")).isInstanceOf(InvalidPhoneNumberException.class);
        assertThatThrownBy(() -> new PhoneNumber(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toStringIsMaskedSoAccidentalLogsDoNotLeak() {
        PhoneNumber n = new PhoneNumber("+15551234567");
        assertThat(n.toString()).isEqualTo("+1555***4567").doesNotContain("123");
        assertThat(n.masked()).isEqualTo("+1555***4567");
        assertThat(LogSafe.maskPhone("12")).isEqualTo("***");
    }
}
