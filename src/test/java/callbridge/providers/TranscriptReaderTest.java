package callbridge.providers;

import static org.assertj.core.api.Assertions.assertThat;

import callbridge.calls.TranscriptLine;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How transcript lines, tool calls included, become Cekura messages, without Camel. */
class TranscriptReaderTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void withoutToolKeysEachLineIsOneMessageAsBefore() throws Exception {
        List<TranscriptLine> lines = read("role=role,content=content,start=start_ms,end=end_ms,data=data",
                "agent=bot,tool_call=function_call,*=system", """
                [{"role":"agent","content":"Hi","start_ms":1000},
                 {"role":"tool_call","content":"","data":{"id":"c1","name":"x","arguments":{}}},
                 {"role":"agent","content":null},
                 {"role":"other","content":7}]""");
        assertThat(lines).containsExactly(
                new TranscriptLine("bot", "Hi", 1000L, null, null),
                new TranscriptLine("function_call", "", null, null, Map.of("id", "c1", "name", "x", "arguments", Map.of())),
                new TranscriptLine("system", "7", null, null, null));
    }

    @Test
    void pathsReachIntoObjectsAndLists() throws Exception {
        List<TranscriptLine> lines = read("role=who.kind,content=text,start=words.0.t,end=words.-1.t", "a=bot", """
                [{"who":{"kind":"a"},"text":"one two","words":[{"t":5},{"t":6},{"t":9}]},
                 {"who":{"kind":"a"},"text":"none","words":[]}]""");
        assertThat(lines).containsExactly(new TranscriptLine("bot", "one two", 5L, 9L, null),
                new TranscriptLine("bot", "none", null, null, null));
    }

    @Test
    void argumentsAreAlwaysAnObjectAndResultsAnObjectOrText() throws Exception {
        List<TranscriptLine> lines = read("role=role,call_id=id,call_name=name,call_arguments=args,result_id=id,result=out",
                "call=function_call,result=function_call_result", """
                [{"role":"call","id":"a","name":"f","args":"{\\"k\\":[1,2]}"},
                 {"role":"call","id":"b","name":"g","args":"not json"},
                 {"role":"call","id":"c","name":"h"},
                 {"role":"call","id":"d","name":"i","args":"[1]"},
                 {"role":"result","id":"a","out":"done"},
                 {"role":"result","id":"b","out":[1,2]},
                 {"role":"result","id":"c","out":{"ok":true}},
                 {"role":"result","id":"zz","out":"{\\"n\\":1}"}]""");
        assertThat(lines).extracting(TranscriptLine::data).containsExactly(
                Map.of("id", "a", "name", "f", "arguments", Map.of("k", List.of(1, 2))),
                Map.of("id", "b", "name", "g", "arguments", Map.of("raw", "not json")),
                Map.of("id", "c", "name", "h", "arguments", Map.of()),
                Map.of("id", "d", "name", "i", "arguments", Map.of("raw", "[1]")),
                Map.of("id", "a", "name", "f", "result", "done"),          // named after its call
                Map.of("id", "b", "name", "g", "result", "[1,2]"),
                Map.of("id", "c", "name", "h", "result", Map.of("ok", true)),
                Map.of("id", "zz", "result", Map.of("n", 1)));             // no call with its id: no name
        assertThat(lines).extracting(TranscriptLine::content).containsOnly("");
        assertThat(JSON.writeValueAsString(lines.get(4).data())).isEqualTo("{\"id\":\"a\",\"name\":\"f\",\"result\":\"done\"}");
    }

    @Test
    void nestedToolListsFollowTheLinesOwnMessageWithItsTimes() throws Exception {
        List<TranscriptLine> lines = read("role=role,content=message,start=at,calls=tool_calls,call_id=rid,call_name=tool,"
                        + "call_arguments=params,results=tool_results,result_id=rid,result_name=tool,result=value",
                "agent=bot", """
                [{"role":"agent","message":"Let me look.","at":50,
                  "tool_calls":[{"rid":"r1","tool":"lookup","params":"{}"},{"rid":"r2","tool":"book","params":{"slot":3}}],
                  "tool_results":[{"rid":"r1","tool":"lookup","value":"{\\"free\\":true}"}]},
                 {"role":"agent","message":null,"at":60,"tool_results":[{"rid":"r2","tool":"book","value":"ok"}]}]""");
        assertThat(lines).containsExactly(
                new TranscriptLine("bot", "Let me look.", 50L, null, null),
                new TranscriptLine("function_call", "", 50L, null, Map.of("id", "r1", "name", "lookup", "arguments", Map.of())),
                new TranscriptLine("function_call", "", 50L, null, Map.of("id", "r2", "name", "book", "arguments", Map.of("slot", 3))),
                new TranscriptLine("function_call_result", "", 50L, null, Map.of("id", "r1", "name", "lookup", "result", Map.of("free", true))),
                new TranscriptLine("function_call_result", "", 60L, null, Map.of("id", "r2", "name", "book", "result", "ok")));
    }

    @Test
    void aKeypressIsADtmfMessageTaggedRolesKeepTheirNameAndAFieldMayHaveAnAlternative() throws Exception {
        List<TranscriptLine> lines = read("role=role,content=content,digit=digit,start=words.0.start ?? time_sec,"
                        + "roleDataKey=retell_role,roleDataRoles=dtmf|sms|transfer_target",
                "agent=bot,user=user,dtmf=user,sms=user,transfer_target=bot,injected=system", """
                [{"role":"agent","content":"Press 1.","words":[{"start":2}]},
                 {"role":"dtmf","digit":"1"},
                 {"role":"dtmf","digit":{"not":"a digit"}},
                 {"role":"sms","content":"Account 44.","time_sec":4},
                 {"role":"injected","content":"Verified.","time_sec":5},
                 {"role":"transfer_target","content":"Billing.","words":[{"start":9}],"time_sec":1},
                 {"role":"node_transition","new_node_id":"n2"}]""");
        assertThat(lines).containsExactly(
                new TranscriptLine("bot", "Press 1.", 2L, null, null),
                new TranscriptLine("user", "DTMF: 1", null, null, Map.of("retell_role", "dtmf")),
                new TranscriptLine("user", "Account 44.", 4L, null, Map.of("retell_role", "sms")),
                new TranscriptLine("system", "Verified.", 5L, null, null),
                new TranscriptLine("bot", "Billing.", 9L, null, Map.of("retell_role", "transfer_target")));   // words first
    }

    @Test
    void ofAlternativesATimeErrorNamesTheFieldThatWasThere() {
        TranscriptReader reader = new TranscriptReader(spec("role=role,content=content,start=words.0.start ?? time_sec"), spec("*=system"),
                (value, field) -> {
                    throw new IllegalArgumentException(field);
                });
        List<?> items = List.of(Map.of("content", "x", "time_sec", "soon"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.read(items))
                .hasMessage("bridgeTranscript[0].time_sec (line start)");
    }

    private static List<TranscriptLine> read(String fields, String roles, String items) throws Exception {
        return new TranscriptReader(spec(fields), spec(roles), (value, field) -> value == null ? null : ((Number) value).longValue())
                .read(JSON.readValue(items, List.class));
    }

    private static Map<String, String> spec(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] kv = pair.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        return map;
    }
}
