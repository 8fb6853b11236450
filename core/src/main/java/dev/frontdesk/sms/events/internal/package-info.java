/**
 * Implementation details of event webhooks: the delivery worker (claims, signed POSTs, retries), the event body and
 * the check that keeps deliveries off private addresses.
 * Unsupported: not part of the public API, may change or go in any release without notice.
 */
package dev.frontdesk.sms.events.internal;
