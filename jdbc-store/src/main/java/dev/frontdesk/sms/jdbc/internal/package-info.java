/**
 * Implementation details of the JDBC store: transactions with retries and error translation, row
 * mapping, the reply queue. Not a supported API; anything here may change in any release.
 */
package dev.frontdesk.sms.jdbc.internal;
