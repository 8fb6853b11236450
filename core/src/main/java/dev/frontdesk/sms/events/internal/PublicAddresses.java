package dev.frontdesk.sms.events.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Connection;
import okhttp3.Dns;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps event deliveries off the host's own network unless it allows it ({@code EVENTS_ALLOW_PRIVATE}): a CRM URL
 * that names (or resolves to) a loopback, link-local, private, unique-local, shared (CGNAT), multicast or unspecified
 * address is refused. Two checks: the {@link Dns} refuses a host name with any such address before a connection is
 * made, and the {@link #interceptor() network interceptor} checks the address actually connected to (IP literals
 * never pass through the {@code Dns}) before a byte of the request is written. Redirects are not followed by the
 * delivery client, so a public receiver cannot bounce a request inward. Thread-safe.
 */
public final class PublicAddresses implements Dns {

    private final Dns resolver;

    public PublicAddresses(Dns resolver) {
        this.resolver = resolver;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> all = resolver.lookup(hostname);
        for (InetAddress a : all) {
            if (isPrivate(a)) {
                throw new UnknownHostException(refusal(a));
            }
        }
        return all;
    }

    /** A network interceptor that refuses a connection made to a private address. */
    public static Interceptor interceptor() {
        return chain -> {
            Connection c = chain.connection();
            InetAddress a = c == null ? null : c.route().socketAddress().getAddress();
            if (a != null && isPrivate(a)) {
                throw new IOException(refusal(a));
            }
            return chain.proceed(chain.request());
        };
    }

    static String refusal(InetAddress a) {
        return "refused: the events URL leads to a private or local address (" + a.getHostAddress()
                + "); set EVENTS_ALLOW_PRIVATE=true to allow it";
    }

    /** Whether {@code a} is loopback, link-local, private, unique-local, shared, multicast or unspecified. */
    public static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            if (isMappedOrCompatible(b)) {
                try {
                    return isPrivate(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return false;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 // 0.0.0.0/8 "this network"
                || (first == 100 && second >= 64 && second <= 127) // 100.64.0.0/10 shared address space
                || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
                || first >= 240; // reserved and broadcast
    }

    /** {@code ::ffff:a.b.c.d} (Java usually hands these back as IPv4 already) or {@code ::a.b.c.d}. */
    private static boolean isMappedOrCompatible(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
    }
}
