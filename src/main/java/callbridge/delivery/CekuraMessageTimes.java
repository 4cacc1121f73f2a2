package callbridge.delivery;

import java.time.Instant;
import java.util.Arrays;

/**
 * {@code CEKURA_MESSAGE_TIMES}: the unit of each message's {@code start_time} / {@code end_time}. Seed 000 says epoch
 * milliseconds; Cekura's own reference agents send seconds from the call's start (CEKURA-FACTS.md), hence the setting.
 */
public enum CekuraMessageTimes {
    /** Epoch milliseconds, as the provider's times are (the default). */
    EPOCH_MS("epoch-ms"),
    /** Seconds from the call's {@code startedAt}, with the milliseconds as decimals (e.g. {@code 1.1}). */
    SECONDS_FROM_START("seconds-from-start");

    private final String setting;

    CekuraMessageTimes(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    /** The setting's value; anything else stops the start with one line naming the variable. */
    public static CekuraMessageTimes of(String value) {
        String text = value == null ? "" : value.trim();
        return Arrays.stream(values()).filter(unit -> unit.setting.equals(text)).findFirst()
                .orElseThrow(() -> new CekuraSettingsException("CEKURA_MESSAGE_TIMES is '" + value
                        + "': use epoch-ms (the default) or seconds-from-start"));
    }

    /** A message time (epoch milliseconds) in this unit, for a call that started at {@code callStart}. */
    public Number of(Long epochMillis, Instant callStart) {
        if (epochMillis == null || this == EPOCH_MS) {
            return epochMillis;
        }
        return (epochMillis - callStart.toEpochMilli()) / 1000.0;
    }
}
