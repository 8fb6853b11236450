/**
 * The front desk's HTTP API independent of any container: Twilio's webhooks, the staff JSON API and the health
 * check. A container adapter (the servlet module's {@code FrontDeskServlet}, or one of the host's own) turns its
 * request into an {@link dev.frontdesk.sms.http.HttpRequest}, calls
 * {@link dev.frontdesk.sms.http.FrontDeskHttpHandler#handle} and writes the
 * {@link dev.frontdesk.sms.http.HttpResponse} as it is. Staff checks plug in as a
 * {@link dev.frontdesk.sms.http.StaffAuthorizer}.
 */
package dev.frontdesk.sms.http;
