/**
 * Implementation details of the servlet adapter: the servlet request seen as the core handler's request.
 * Unsupported: not part of the public API, may change or go in any release without notice.
 */
package dev.frontdesk.sms.servlet.internal;
