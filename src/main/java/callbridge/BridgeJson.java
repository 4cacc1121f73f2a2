package callbridge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.stereotype.Component;

/**
 * The bridge's own JSON: everything it stores (canonical events, payloads), reads back and sends (to Cekura, to a
 * dial API, admin answers) goes through this one mapper, whatever the application's Jackson settings are. A host
 * with {@code spring.jackson.property-naming-strategy=SNAKE_CASE} keeps it for its own answers; Cekura still gets
 * {@code startedAt}.
 *
 * <p>Deliberately not a bean of type {@link ObjectMapper}: Spring Boot's Jackson auto-configuration would back off
 * (the host would lose its own mapper), and Camel's {@code json} data format would no longer find the host's single
 * mapper. Camel steps of the bridge use {@link #dataFormat()}.
 */
@Component("bridgeJson")
@ConditionalOnMissingBean(BridgeJson.class)   // a host's own BridgeJson (a subclass) replaces it
public class BridgeJson {
    private final ObjectMapper mapper = create();
    /** The admin answers name every field, null ones too ({@code "lastError": null}). */
    private final ObjectMapper answers = mapper.copy()
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS));

    /** What Spring Boot's auto-configured mapper did for the bridge before, fixed here: the same bytes on the wire. */
    static ObjectMapper create() {
        return JsonMapper.builder()
                .addModules(new Jdk8Module(), new JavaTimeModule(), new ParameterNamesModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.DEFAULT_VIEW_INCLUSION)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** A Camel JSON data format on this mapper, for {@code marshal(...)} / {@code unmarshal(...)} in the bridge's routes. */
    public JacksonDataFormat dataFormat() {
        return dataFormat(mapper);
    }

    /** The data format of the admin answers: this mapper, null fields included. */
    public JacksonDataFormat answerFormat() {
        return dataFormat(answers);
    }

    private static JacksonDataFormat dataFormat(ObjectMapper mapper) {
        JacksonDataFormat format = new JacksonDataFormat();
        format.setObjectMapper(mapper);
        format.setUseDefaultObjectMapper(false);
        format.setAutoDiscoverObjectMapper(false);
        return format;
    }
}
