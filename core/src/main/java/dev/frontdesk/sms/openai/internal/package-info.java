/**
 * Implementation details of the OpenAI reply generator (SMS fitting of model output). Not a supported
 * API; may change in any release.
 */
package dev.frontdesk.sms.openai.internal;
