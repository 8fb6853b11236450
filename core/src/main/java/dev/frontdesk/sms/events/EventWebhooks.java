package dev.frontdesk.sms.events;

import dev.frontdesk.sms.ConfigurationException;
import dev.frontdesk.sms.internal.EnvReader;
import dev.frontdesk.sms.internal.LogSafe;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the front desk posts its signed lead events (the host's CRM) and how: {@code EVENTS_WEBHOOK_URL},
 * {@code EVENTS_WEBHOOK_SECRET} (required with the URL) and {@code EVENTS_ALLOW_PRIVATE} (default false: events
 * never go to loopback, link-local, private or unique-local addresses). Hand it to
 * {@code FrontDesk.Builder.events}; without it the front desk records and sends no events.
 *
 * <p>Immutable and thread-safe. The secret is never part of {@link #toString()}.
 */
public final class EventWebhooks {

    /** How long an event is retried before it is marked failed. */
    public static final Duration DEFAULT_RETRY_FOR = Duration.ofHours(24);

    private final URI url;
    private final String secret;
    private final boolean allowPrivate;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration retryFor;

    private EventWebhooks(Builder b) {
        url = b.url;
        secret = b.secret;
        allowPrivate = b.allowPrivate;
        connectTimeout = b.connectTimeout;
        readTimeout = b.readTimeout;
        retryFor = b.retryFor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The events settings in {@code env} (usually {@code System.getenv()}), or empty when {@code EVENTS_WEBHOOK_URL}
     * is unset (no events).
     *
     * @throws ConfigurationException naming the variable: a URL that is not http(s), a missing secret, a flag that is
     *         not true or false
     */
    public static Optional<EventWebhooks> fromEnvironment(Map<String, String> env) {
        EnvReader r = new EnvReader(env);
        String url = r.get("EVENTS_WEBHOOK_URL");
        if (url == null) {
            return Optional.empty();
        }
        String secret = r.get("EVENTS_WEBHOOK_SECRET");
        if (secret == null) {
            throw new ConfigurationException("EVENTS_WEBHOOK_SECRET is required when EVENTS_WEBHOOK_URL is set: set it to a long"
                    + " random string (e.g. `openssl rand -hex 32`) and give the same value to the receiver, which checks"
                    + " FrontDesk-Signature with it.");
        }
        return Optional.of(builder().url(r.url("EVENTS_WEBHOOK_URL", null)).secret(secret)
                .allowPrivate(r.bool("EVENTS_ALLOW_PRIVATE", false)).build());
    }

    /** {@code EVENTS_WEBHOOK_URL}: where events are POSTed. */
    public URI url() { return url; }
    /** {@code EVENTS_WEBHOOK_SECRET}: signs each event ({@link EventSignatures}). */
    public String secret() { return secret; }
    /** {@code EVENTS_ALLOW_PRIVATE}: whether loopback and private addresses may be called. */
    public boolean allowPrivate() { return allowPrivate; }
    /** How long connecting to the receiver may take (default 3 s). */
    public Duration connectTimeout() { return connectTimeout; }
    /** How long the receiver may take to answer once connected (default 5 s). */
    public Duration readTimeout() { return readTimeout; }
    /** How long after it was recorded an event is retried before it is marked failed (default 24 hours). */
    public Duration retryFor() { return retryFor; }

    @Override
    public String toString() {
        return "EventWebhooks{url=" + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + "/..., allowPrivate=" + allowPrivate + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", retryFor=" + retryFor + "}";
    }

    /** Builds {@link EventWebhooks}; fails fast naming the field. Not thread-safe. */
    public static final class Builder {
        private URI url;
        private String secret;
        private boolean allowPrivate;
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration readTimeout = Duration.ofSeconds(5);
        private Duration retryFor = DEFAULT_RETRY_FOR;

        private Builder() {
        }

        /** @throws ConfigurationException when it is not an absolute http:// or https:// URL with a host */
        public Builder url(String v) {
            Objects.requireNonNull(v, "url");
            URI u;
            try {
                u = URI.create(v.strip());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("EVENTS_WEBHOOK_URL is not a URL: '" + LogSafe.truncate(v, 60) + "'.");
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getHost().isBlank()) {
                throw new ConfigurationException("EVENTS_WEBHOOK_URL must be an absolute http:// or https:// URL with a host, was '"
                        + LogSafe.truncate(v, 60) + "'.");
            }
            url = u;
            return this;
        }

        public Builder secret(String v) { secret = v; return this; }
        public Builder allowPrivate(boolean v) { allowPrivate = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = positive(v, "connectTimeout"); return this; }
        public Builder readTimeout(Duration v) { readTimeout = positive(v, "readTimeout"); return this; }
        public Builder retryFor(Duration v) { retryFor = positive(v, "retryFor"); return this; }

        /** @throws ConfigurationException when the URL or the secret is missing */
        public EventWebhooks build() {
            if (url == null) {
                throw new ConfigurationException("EVENTS_WEBHOOK_URL is required for events: the receiver's http(s) URL.");
            }
            if (secret == null || secret.isBlank()) {
                throw new ConfigurationException("EVENTS_WEBHOOK_SECRET is required when EVENTS_WEBHOOK_URL is set.");
            }
            return new EventWebhooks(this);
        }

        private static Duration positive(Duration v, String name) {
            Objects.requireNonNull(v, name);
            if (v.isNegative() || v.isZero()) {
                throw new ConfigurationException(name + " must be positive, was " + v + ".");
            }
            return v;
        }
    }
}
