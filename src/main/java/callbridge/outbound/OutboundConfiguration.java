package callbridge.outbound;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Outbound calls: the beans the dial route files call and the triggers' rows (the admin API reads them, whether the
 * trigger endpoint runs or not); the endpoint itself and its dialing are {@link TriggerConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@Import({OutboundTriggers.class, FirstDialWait.class, DialRequest.class, DialErrors.class, PhoneNumberIds.class,
        TriggerConfiguration.class})
public class OutboundConfiguration {
}
