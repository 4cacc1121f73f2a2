package callbridge.ingest;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Webhooks in: the body filter, the guards, the journal that stores each event before its answer. */
@Configuration(proxyBeanMethods = false)
@Import({IngestWebConfiguration.class, IngestRoutes.class, WebhookErrors.class, WebhookGuard.class,
        StandardWebhooksGuard.class, EventValidator.class, EventKeys.class, CallBounds.class, EventJournal.class,
        JournalRows.class, RefusedWebhooks.class, IngestMetrics.class})
public class IngestConfiguration {
}
