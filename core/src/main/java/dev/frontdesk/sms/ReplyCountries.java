package dev.frontdesk.sms;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.frontdesk.sms.internal.LogSafe;
import java.util.Set;
import java.util.TreeSet;

/**
 * The regions of {@code REPLY_COUNTRIES}: which ISO 3166 codes exist, and which region a number belongs to.
 * Thread-safe, no state.
 */
final class ReplyCountries {
    /** libphonenumber's code for numbers of no country (international networks, satellite). */
    static final String NO_REGION = "001";

    private ReplyCountries() {
    }

    /**
     * The number's ISO 3166 region: libphonenumber's for an assigned number; else the main region of its
     * country code ({@code +1555...} is {@code US}); {@value #NO_REGION} for numbers of no region.
     */
    static String regionOf(PhoneNumber number) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        try {
            var parsed = util.parse(number.value(), null);
            String region = util.getRegionCodeForNumber(parsed);
            if (region == null) {
                region = util.getRegionCodeForCountryCode(parsed.getCountryCode());
            }
            return region == null || region.equals("ZZ") ? NO_REGION : region;
        } catch (NumberParseException e) {
            return NO_REGION; // stored numbers are E.164; one that does not parse belongs nowhere
        }
    }

    /** @throws ConfigurationException naming {@code name} when a code is not an ISO 3166 region */
    static void check(String name, Set<String> codes) {
        Set<String> known = PhoneNumberUtil.getInstance().getSupportedRegions();
        Set<String> unknown = new TreeSet<>();
        for (String code : codes) {
            if (code == null || !known.contains(code)) {
                unknown.add(code == null ? "null" : LogSafe.truncate(code, 10));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigurationException(name + " must list ISO 3166 region codes separated by commas, like US,CA (GB for the"
                    + " United Kingdom); not regions: " + String.join(", ", unknown) + ".");
        }
    }
}
