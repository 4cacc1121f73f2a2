package callbridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void ordinaryValuesAreUnchanged() {
        String id = "69ef5c43425e3c729ab8c83f";
        assertThat(LogSafe.of(id)).isSameAs(id);
        assertThat(LogSafe.of("Müller – 東京 ☎")).isEqualTo("Müller – 東京 ☎");
        assertThat(LogSafe.of(null)).isEqualTo("null");
        assertThat(LogSafe.of(730001)).isEqualTo("730001");
    }

    @Test
    void nothingCanEndTheLine() {
        assertThat(LogSafe.of("c1\n2026-04-27 ERROR forged")).isEqualTo("c1\\n2026-04-27 ERROR forged");
        assertThat(LogSafe.of("a\r\nb\tc")).isEqualTo("a\\r\\nb\\tc");
        assertThat(LogSafe.of("a\u2028b\u2029c\u0085d\u0000e\u001bf\u007f")).isEqualTo("a\\u2028b\\u2029c\\u0085d\\u0000e\\u001bf\\u007f");
        assertThat(LogSafe.of("abc\u202edcba")).isEqualTo("abc\\u202edcba");   // a bidi override cannot disguise the line
    }

    @Test
    void longValuesAreCut() {
        assertThat(LogSafe.of("x".repeat(1500))).isEqualTo("x".repeat(1000) + "…(500 more characters)");
        assertThat(LogSafe.of("x".repeat(1000))).hasSize(1000);
    }
}
