package callbridge.outbound;

/** A setting the outbound dial needs is missing or wrong: the start stops with this one line. */
public class OutboundSettingsException extends IllegalStateException {
    public OutboundSettingsException(String message) {
        super(message);
    }
}
