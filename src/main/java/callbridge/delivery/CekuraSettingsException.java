package callbridge.delivery;

/** A Cekura setting the bridge cannot work with: the start stops with this one line. */
public class CekuraSettingsException extends IllegalStateException {
    public CekuraSettingsException(String message) {
        super(message);
    }
}
