/** Implementation details of the Spring Boot starter; not a supported API, may change in any release. */
package dev.frontdesk.sms.spring.internal;
