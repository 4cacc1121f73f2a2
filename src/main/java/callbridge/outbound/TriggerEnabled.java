package callbridge.outbound;

import java.util.stream.Stream;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether the trigger endpoint runs: {@code BRIDGE_TRIGGER_ENABLED} when it is set (the standalone application sets
 * {@code true}: its endpoint is always there, as documented); unset, only when outbound calls are configured
 * ({@code OUTBOUND_PROVIDER}, {@code OUTBOUND_DIAL_URL}, {@code CEKURA_TRIGGER_SECRET} or {@code CEKURA_TRIGGER_TOKEN}),
 * so a host that adds the bridge for its webhooks opens no endpoint that writes rows into its database.
 */
public class TriggerEnabled extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return outcome(context.getEnvironment());
    }

    /** Whether the trigger endpoint runs with these settings. */
    public static boolean in(Environment environment) {
        return outcome(environment).isMatch();
    }

    private static ConditionOutcome outcome(Environment environment) {
        String switched = environment.getProperty("bridge.trigger.enabled");
        if (switched != null && !switched.isBlank()) {
            return Boolean.parseBoolean(switched.trim()) ? ConditionOutcome.match("BRIDGE_TRIGGER_ENABLED=true")
                    : ConditionOutcome.noMatch("BRIDGE_TRIGGER_ENABLED=false");
        }
        boolean configured = Stream.of(environment.getProperty("outbound.provider"), environment.getProperty("outbound.dial-url"),
                        environment.getProperty("cekura.trigger-secret"), environment.getProperty("cekura.trigger-token"))
                .anyMatch(value -> value != null && !value.isBlank());
        return configured ? ConditionOutcome.match("outbound calls are configured")
                : ConditionOutcome.noMatch("BRIDGE_TRIGGER_ENABLED unset and no outbound setting "
                        + "(OUTBOUND_PROVIDER, OUTBOUND_DIAL_URL, CEKURA_TRIGGER_SECRET, CEKURA_TRIGGER_TOKEN)");
    }
}
