package dev.frontdesk.sms.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StaffAuthorizerTest {
    static FrontDeskHttpHandlerTest.FakeRequest withAuthorization(String value) {
        return new FrontDeskHttpHandlerTest.FakeRequest("GET", "/api/leads",
                value == null ? Map.of() : Map.of("Authorization", value), "");
    }

    @Test
    void bearerKeyAcceptsExactlyTheKey() {
        StaffAuthorizer auth = StaffAuthorizer.bearerKey("s3cret-key");
        assertThat(auth.isAuthorized(withAuthorization("Bearer s3cret-key"))).isTrue();
        assertThat(auth.isAuthorized(withAuthorization("bearer s3cret-key"))).as("scheme in any case").isTrue();
        assertThat(auth.isAuthorized(withAuthorization("  Bearer   s3cret-key  "))).isTrue();
        assertThat(auth.isAuthorized(withAuthorization(null))).isFalse();
        assertThat(auth.isAuthorized(withAuthorization(""))).isFalse();
        assertThat(auth.isAuthorized(withAuthorization("Bearer"))).isFalse();
        assertThat(auth.isAuthorized(withAuthorization("s3cret-key"))).isFalse();
        assertThat(auth.isAuthorized(withAuthorization("Bearer S3CRET-KEY"))).isFalse();
        assertThat(auth.isAuthorized(withAuthorization("Bearer s3cret-ke"))).isFalse();
        assertThat(auth.isAuthorized(withAuthorization("Token s3cret-key"))).isFalse();
    }

    @Test
    void keyNeverShowsInToString() {
        assertThat(StaffAuthorizer.bearerKey("s3cret-key").toString()).doesNotContain("s3cret");
    }

    @Test
    void blankKeyIsRefusedAtOnce() {
        assertThatThrownBy(() -> StaffAuthorizer.bearerKey(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FRONTDESK_API_KEY");
        assertThatThrownBy(() -> StaffAuthorizer.bearerKey(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orAcceptsEitherAndDenyAllNothing() {
        StaffAuthorizer either = StaffAuthorizer.bearerKey("a-key").or(r -> "yes".equals(r.header("X-Ok")));
        assertThat(either.isAuthorized(withAuthorization("Bearer a-key"))).isTrue();
        assertThat(either.isAuthorized(new FrontDeskHttpHandlerTest.FakeRequest("GET", "/", Map.of("X-Ok", "yes"), ""))).isTrue();
        assertThat(either.isAuthorized(withAuthorization("Bearer other"))).isFalse();
        assertThat(StaffAuthorizer.DENY_ALL.isAuthorized(withAuthorization("Bearer a-key"))).isFalse();
    }
}
