package callbridge.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceIdsTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void theTraceIdOfAWellFormedTraceparent() {
        assertThat(TraceIds.ofTraceparent("00-" + TRACE + "-00f067aa0ba902b7-01")).isEqualTo(TRACE);
        assertThat(TraceIds.ofTraceparent(" 00-" + TRACE + "-00f067aa0ba902b7-00 ")).isEqualTo(TRACE);   // header whitespace
        // a later version may append fields after a dash
        assertThat(TraceIds.ofTraceparent("01-" + TRACE + "-00f067aa0ba902b7-01-what-comes-next")).isEqualTo(TRACE);
        assertThat(TraceIds.ofTraceparent("cc-" + TRACE + "-00f067aa0ba902b7-01")).isEqualTo(TRACE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "garbage",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",     // uppercase
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",      // 31 hex
            "00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01",    // 33 hex
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",     // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",     // all-zero parent id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // forbidden version
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 has exactly four fields
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1"})
    void aMalformedTraceparentGivesNone(String header) {
        assertThat(TraceIds.ofTraceparent(header)).isNull();
    }

    @Test
    void aHeaderSentTwiceOrNotAtAllGivesNone() {
        assertThat(TraceIds.ofTraceparent(null)).isNull();
        assertThat(TraceIds.ofTraceparent(List.of("00-" + TRACE + "-00f067aa0ba902b7-01", "00-" + TRACE + "-00f067aa0ba902b7-01"))).isNull();
    }

    @Test
    void aMappedTraceIdIsKeptOnlyWhenItIsOne() {
        assertThat(TraceIds.traceId(TRACE)).isEqualTo(TRACE);
        assertThat(TraceIds.traceId(TRACE.toUpperCase())).isNull();
        assertThat(TraceIds.traceId("00000000000000000000000000000000")).isNull();
        assertThat(TraceIds.traceId("trace-1")).isNull();
        assertThat(TraceIds.traceId(null)).isNull();
    }
}
