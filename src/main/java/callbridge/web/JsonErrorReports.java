package callbridge.web;

import callbridge.ingest.ErrorAnswer;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;

/**
 * What Tomcat answers itself, before any application code runs (a malformed request line, an invalid header, a bad
 * {@code %} escape, an encoded {@code /} in the path): the bridge's JSON shape, {@code {"error": "bad request"}},
 * instead of Tomcat's HTML page. Its {@link Valve} replaces the host's error report valve (Spring Boot's included), so
 * it answers every error nothing else answered; an answer already written (the application's own JSON) is left alone.
 *
 * <p>Standalone only ({@code CallBridgeApplication} imports it): a host's server and its error pages stay its own.
 * Ordered last, so that it sees the valve Spring Boot's own customizer adds to the host.
 */
public class JsonErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(JsonValve.class.getName());   // the host adds no other one at its start
                host.getPipeline().addValve(new JsonValve());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Tomcat's error report, as {@code {"error": "<reason phrase>"}}: no server name, no message, no stack trace. */
    public static class JsonValve extends ErrorReportValve {
        public JsonValve() {
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            // only an error, only when nothing was written yet, only once
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;   // the connection cannot take an answer any more
            }
            HttpStatus known = HttpStatus.resolve(status);
            String body = ErrorAnswer.json(known == null ? "error" : known.getReasonPhrase().toLowerCase());
            try {
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(body);
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException ignored) {
                // the client is gone: nothing to answer
            }
        }
    }
}
