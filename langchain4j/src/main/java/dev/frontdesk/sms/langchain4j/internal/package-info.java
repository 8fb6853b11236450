/**
 * Implementation details of the LangChain4j reply generator: turning the shared prompt into a LangChain4j
 * {@code ChatRequest}, reading the {@code ChatResponse}, and bounding the call by the reply deadline.
 * Unsupported: not part of the public API, may change or go in any release without notice.
 */
package dev.frontdesk.sms.langchain4j.internal;
