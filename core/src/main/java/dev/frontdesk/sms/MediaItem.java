package dev.frontdesk.sms;

import java.util.Objects;

/**
 * One picture or file attached to an inbound MMS ({@code MediaUrlN} / {@code MediaContentTypeN}).
 *
 * @param url         where Twilio stores the media
 * @param contentType its MIME type, or null when Twilio did not say
 */
public record MediaItem(String url, String contentType) {
    public MediaItem {
        Objects.requireNonNull(url, "url");
    }
}
