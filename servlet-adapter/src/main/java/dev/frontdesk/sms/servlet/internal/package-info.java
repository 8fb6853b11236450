/**
 * Implementation details of the servlet adapter: JSON shapes, form parsing, error bodies, staff-key checks and
 * their throttle, the request adapter. Unsupported: not part of the public API, may change or go in any
 * release without notice.
 */
package dev.frontdesk.sms.servlet.internal;
