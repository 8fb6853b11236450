package dev.frontdesk.sms;

/**
 * A message staff want to send by hand ({@code POST /api/twilio/sms/outbound}).
 *
 * @param leadId      the lead to text, or null
 * @param phoneNumber the number to text as typed, or null; with {@code leadId} both must name the same lead
 * @param message     the text
 * @param force       whether staff confirmed sending outside the customer's 8:00-21:00 ({@code "force": true})
 */
public record StaffMessage(Long leadId, String phoneNumber, String message, boolean force) {

    /** A message without the quiet-hours confirmation. */
    public StaffMessage(Long leadId, String phoneNumber, String message) {
        this(leadId, phoneNumber, message, false);
    }
}
