/**
 * Implementation details of the HTTP handler: routing, error mapping, body reading, signature and staff checks,
 * the endpoints and their JSON. Not a supported API; may change in any release.
 */
package dev.frontdesk.sms.http.internal;
