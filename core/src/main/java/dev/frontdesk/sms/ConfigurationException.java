package dev.frontdesk.sms;

/** A configuration value is missing or malformed; the message names the variable. */
public class ConfigurationException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(ErrorCode.INVALID_CONFIGURATION, message);
    }
}
