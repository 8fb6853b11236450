/**
 * Implementation details of the Twilio integration: the OkHttp transport under the official SDK and the
 * per-attempt bookkeeping the retry loop needs. Not a supported API; may change in any release.
 */
package dev.frontdesk.sms.twilio.internal;
