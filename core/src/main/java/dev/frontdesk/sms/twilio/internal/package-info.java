/**
 * Implementation details of the Twilio integration: the OkHttp transport under the official SDK with the
 * per-attempt bookkeeping the retry loop needs, the reading of send answers and the verified caller ID cache.
 * Unsupported: not part of the public API, may change or go in any release without notice.
 */
package dev.frontdesk.sms.twilio.internal;
