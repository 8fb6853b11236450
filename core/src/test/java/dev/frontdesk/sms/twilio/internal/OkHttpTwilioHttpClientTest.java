package dev.frontdesk.sms.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class OkHttpTwilioHttpClientTest {

    private final OkHttpTwilioHttpClient client = new OkHttpTwilioHttpClient(new OkHttpClient(), "http://127.0.0.1:4010/");

    @Test
    void twilioUrlsAreRewrittenToTheBaseUrlKeepingPathAndQuery() {
        assertThat(client.rewrite("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=50"))
                .isEqualTo("http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Messages.json?PageSize=50");
        assertThat(client.rewrite("https://api.us1.twilio.com/2010-04-01/x.json"))
                .isEqualTo("http://127.0.0.1:4010/2010-04-01/x.json");
    }

    @Test
    void credentialsNeverGoToAHostOutsideTwilio() {
        assertThatThrownBy(() -> client.rewrite("https://evil.example/2010-04-01/x.json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.rewrite("https://api.twilio.comhttp://evil.example/x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.rewrite("http://api.twilio.com/2010-04-01/x.json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.rewrite("https://twilio.com.evil.example/x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
