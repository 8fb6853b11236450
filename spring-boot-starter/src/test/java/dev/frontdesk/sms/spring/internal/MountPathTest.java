package dev.frontdesk.sms.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.ConfigurationException;
import org.junit.jupiter.api.Test;

class MountPathTest {

    @Test
    void prefixFormsMeanTheSameMount() {
        assertThat(MountPath.parse("/sms/*")).isEqualTo(new MountPath("/sms/*", "/sms"));
        assertThat(MountPath.parse("/sms/")).isEqualTo(new MountPath("/sms/*", "/sms"));
        assertThat(MountPath.parse("/sms")).isEqualTo(new MountPath("/sms/*", "/sms"));
        assertThat(MountPath.parse(" ")).isEqualTo(new MountPath("/sms/*", "/sms"));
        assertThat(MountPath.parse("/*")).isEqualTo(new MountPath("/*", ""));
    }

    @Test
    void onlyTheServletsOwnPathsAreCovered() {
        MountPath sms = MountPath.parse("/sms/*");
        assertThat(sms.covers("/sms/api/twilio/sms/inbound")).isTrue();
        assertThat(sms.covers("/sms")).isTrue();
        assertThat(sms.covers("/smsx/api")).isFalse();
        assertThat(sms.covers("/admin")).isFalse();
        MountPath root = MountPath.parse("/*");
        assertThat(root.covers("/api/twilio/sms/inbound")).isTrue();
        assertThat(root.covers("/admin")).isFalse();
    }

    @Test
    void wildcardsInsideTheMappingAreRefused() {
        assertThatThrownBy(() -> MountPath.parse("/a/**/b")).isInstanceOf(ConfigurationException.class).hasMessageContaining("frontdesk.servlet.path");
        assertThatThrownBy(() -> MountPath.parse("sms/*")).isInstanceOf(ConfigurationException.class);
    }
}
