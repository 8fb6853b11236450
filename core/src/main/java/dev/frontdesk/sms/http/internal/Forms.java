package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.ErrorCode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parses {@code application/x-www-form-urlencoded} text (request bodies and query strings) as UTF-8. */
public final class Forms {
    private Forms() {
    }

    /**
     * Parses form-encoded text; a {@code +} is a space, as in any form.
     *
     * @param what           "form body" or "query string", for the error message
     * @param rejectRepeats  whether a name given twice is an error (a webhook's signature covers one value per name)
     * @throws ApiError 400 {@code invalid_request} for bad percent-encoding or a repeated name
     */
    public static Map<String, String> parse(String text, String what, boolean rejectRepeats) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return Collections.unmodifiableMap(out);
        }
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), what);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), what);
            if (out.containsKey(name)) {
                if (rejectRepeats) {
                    throw new ApiError(ErrorCode.INVALID_REQUEST,
                            "The " + what + " gives '" + clip(name) + "' more than once; send each parameter once.");
                }
                continue;
            }
            out.put(name, value);
        }
        return Collections.unmodifiableMap(out);
    }

    private static String decode(String s, String what) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorCode.INVALID_REQUEST,
                    "The " + what + " is not valid form encoding (a '%' must be followed by two hex digits).");
        }
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** The media type of a Content-Type header, lower case without parameters, or null. */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return type.isEmpty() ? null : type;
    }

    /** The charset parameter of a Content-Type header, lower case without quotes, or null. */
    public static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                return p.substring(8).strip().replace("\"", "").toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
