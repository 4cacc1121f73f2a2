package callbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How recorded one-call envelopes share a POST: exactly, and never across envelopes Cekura would reject together. */
class BatchBodyTest {

    @Test
    void oneCallIsSentExactlyAsRecorded() {
        BatchBody body = new BatchBody();
        String recorded = "{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-1\",\"messages\":[{\"start_time\":1.10}]}]}";
        assertThat(body.add(recorded)).isTrue();
        assertThat(body.json()).isEqualTo(recorded);
    }

    @Test
    void callsOfOneAgentShareAnEnvelopeInOrderWithTheirNumbersAsWritten() {
        BatchBody body = new BatchBody();
        assertThat(body.add("{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-1\",\"messages\":[{\"start_time\":1.10}]}]}")).isTrue();
        assertThat(body.add("{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-2\",\"run_id\":12345678901234}]}")).isTrue();
        assertThat(body.size()).isEqualTo(2);
        assertThat(body.json()).isEqualTo("{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-1\",\"messages\":[{\"start_time\":1.10}]},"
                + "{\"id\":\"salpre-2\",\"run_id\":12345678901234}]}");
    }

    @Test
    void anotherAgentWaitsForAnotherPost() {
        BatchBody body = new BatchBody();
        assertThat(body.add("{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-1\"}]}")).isTrue();
        assertThat(body.add("{\"agent_id\":43,\"calls\":[{\"id\":\"salpre-2\"}]}")).isFalse();
        assertThat(body.add("{\"calls\":[{\"id\":\"salpre-3\",\"run_id\":7}]}")).isFalse();
        assertThat(body.json()).isEqualTo("{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-1\"}]}");
    }

    @Test
    void withoutAnAgentCallsWithAndWithoutARunNeverShareAPost() {
        BatchBody runs = new BatchBody();
        assertThat(runs.add("{\"calls\":[{\"id\":\"salpre-1\",\"run_id\":7}]}")).isTrue();
        assertThat(runs.add("{\"calls\":[{\"id\":\"salpre-2\"}]}")).isFalse();
        assertThat(runs.add("{\"calls\":[{\"id\":\"salpre-3\",\"run_id\":8}]}")).isTrue();
        assertThat(runs.json()).isEqualTo("{\"calls\":[{\"id\":\"salpre-1\",\"run_id\":7},{\"id\":\"salpre-3\",\"run_id\":8}]}");

        BatchBody noRuns = new BatchBody();
        assertThat(noRuns.add("{\"calls\":[{\"id\":\"salpre-2\"}]}")).isTrue();
        assertThat(noRuns.add("{\"calls\":[{\"id\":\"salpre-1\",\"run_id\":7}]}")).isFalse();
    }

    @Test
    void aBatchStopsGrowingAtItsSizeLimitButALargeCallStillGoesAlone() {
        String large = "{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-1\",\"endedReason\":\"" + "x".repeat(BatchBody.MAX_BYTES) + "\"}]}";
        BatchBody alone = new BatchBody();
        assertThat(alone.add(large)).isTrue();
        assertThat(alone.add("{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-2\"}]}")).isFalse();
        assertThat(alone.json()).isEqualTo(large);

        String half = "{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-3\",\"endedReason\":\"" + "y".repeat(BatchBody.MAX_BYTES / 2) + "\"}]}";
        BatchBody body = new BatchBody();
        assertThat(body.add(half)).isTrue();
        assertThat(body.add(half.replace("salpre-3", "salpre-4"))).isFalse();
        assertThat(body.size()).isEqualTo(1);
    }

    @Test
    void aPayloadThatIsNotAOneCallEnvelopeOnlyGoesAlone() {
        BatchBody first = new BatchBody();
        assertThat(first.add("not json")).isTrue();
        assertThat(first.add("{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-1\"}]}")).isFalse();
        assertThat(first.json()).isEqualTo("not json");

        BatchBody later = new BatchBody();
        assertThat(later.add("{\"agent_id\":42,\"calls\":[{\"id\":\"salpre-1\"}]}")).isTrue();
        assertThat(later.add("{\"agent_id\":42,\"calls\":[]}")).isFalse();
    }
}
