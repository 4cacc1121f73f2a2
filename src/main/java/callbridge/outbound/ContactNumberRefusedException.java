package callbridge.outbound;

import callbridge.ingest.RefusedException;

/** The trigger's from_number is not one of the configured contact numbers. */
public class ContactNumberRefusedException extends RefusedException {
    public ContactNumberRefusedException(String message) {
        super(message);
    }
}
