/**
 * Implementation details of core: the front desk's working parts behind {@link dev.frontdesk.sms.FrontDesk}
 * (inbound and status handling, staff sends, lead edits, usage and budget, the reply workers and the reply
 * path: policy, writer, job runner), each getting its dependencies through its constructor and holding no
 * global state; and what core's parts and the library's other modules share: log masking ({@code LogSafe}),
 * SMS segment counting ({@code SmsSegments}), the prompt every reply generator sends and the structured answer it reads
 * ({@code ReplyPrompt}, {@code StructuredReply}), SMS fitting ({@code SmsReplyText}), the output check on generated
 * replies ({@code ReplyGuard}), and
 * the retry toolkit the Twilio and OpenAI clients share ({@code Backoff}, {@code RetryAfter}). Unsupported: not
 * part of the public API, may change or go in any release without notice.
 */
package dev.frontdesk.sms.internal;
