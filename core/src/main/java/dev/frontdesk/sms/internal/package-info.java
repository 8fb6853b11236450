/**
 * Implementation details shared by core's parts and the library's other modules: log masking
 * ({@code LogSafe}), SMS segment counting ({@code SmsSegments}), the output check on generated replies
 * ({@code ReplyGuard}), and the retry toolkit the Twilio and OpenAI clients share ({@code Backoff},
 * {@code RetryAfter}). Unsupported: not part of the public API, may change or go in any release without notice.
 */
package dev.frontdesk.sms.internal;
