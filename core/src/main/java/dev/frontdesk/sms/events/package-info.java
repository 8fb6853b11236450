/**
 * Event webhooks to the host's CRM: {@link dev.frontdesk.sms.events.EventWebhooks} (where and how events are posted)
 * and {@link dev.frontdesk.sms.events.EventSignatures} (signing, and verifying in a receiver).
 */
package dev.frontdesk.sms.events;
