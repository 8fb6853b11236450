package dev.frontdesk.sms.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.events.internal.PublicAddresses;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PublicAddressesTest {

    @Test
    void loopbackLinkLocalPrivateAndUniqueLocalAddressesArePrivate() throws Exception {
        for (String a : new String[] {"127.0.0.1", "127.8.9.10", "::1", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "fe80::1", "fc00::1", "fd12:3456::1", "0.0.0.0", "::", "100.64.0.1", "224.0.0.1",
                "::ffff:10.0.0.1", "::ffff:127.0.0.1", "255.255.255.255"}) {
            assertThat(PublicAddresses.isPrivate(InetAddress.getByName(a))).as(a).isTrue();
        }
    }

    @Test
    void publicAddressesAreNot() throws Exception {
        for (String a : new String[] {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8",
                "192.0.2.1"}) {
            assertThat(PublicAddresses.isPrivate(InetAddress.getByName(a))).as(a).isFalse();
        }
    }
}
