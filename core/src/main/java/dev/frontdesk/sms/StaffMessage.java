package dev.frontdesk.sms;

/**
 * A message staff want to send by hand ({@code POST /api/twilio/sms/outbound}).
 *
 * @param leadId      the lead to text, or null
 * @param phoneNumber the number to text as typed, or null; with {@code leadId} both must name the same lead
 * @param message     the text
 */
public record StaffMessage(Long leadId, String phoneNumber, String message) {
}
