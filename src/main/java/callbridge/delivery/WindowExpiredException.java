package callbridge.delivery;

/** A retry (or a resumed attempt) would reach Cekura after it stopped listening for the call. */
public class WindowExpiredException extends RuntimeException {
    public WindowExpiredException() {
        super("window-expired");
    }
}
