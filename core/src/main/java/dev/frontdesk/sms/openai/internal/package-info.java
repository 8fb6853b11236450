/**
 * Implementation details of the OpenAI reply generator: writing Chat Completions requests for the shared prompt.
 * Unsupported: not part of the public API, may change or go in any release without notice.
 */
package dev.frontdesk.sms.openai.internal;
