package dev.frontdesk.sms;

import java.util.Objects;

/**
 * What the reply generator knows about the business.
 *
 * @param name        the business's name, e.g. "Acme Plumbing"
 * @param description free text: services, area, hours, policies (may be empty)
 * @param phoneNumber the business's own number (the only number a reply may mention), or null
 */
public record BusinessProfile(String name, String description, String phoneNumber) {
    public BusinessProfile {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
    }
}
