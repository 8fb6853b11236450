/**
 * Implementation details of the JDBC store: transactions with retries and error translation, row
 * mapping, and the parts of the store (leads, messages, usage ledger, reply queue). Not a supported API;
 * anything here may change in any release.
 */
package dev.frontdesk.sms.jdbc.internal;
