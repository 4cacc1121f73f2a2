package callbridge.admin;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/** Headers on every admin answer: transcripts are personal data, kept out of caches, never sniffed as HTML. */
final class AdminAnswers {
    /** The page may run only its own script and style, talk only to this bridge, and not be framed. */
    static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Data answers are never a document that could run anything. */
    static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";

    private static final String RESPONSE = "bridgeAdminServletResponse";

    private AdminAnswers() {
    }

    /** Keeps the servlet answer while the message is still the HTTP one (a {@code setBody} replaces it). */
    static void remember(Exchange exchange) {
        if (exchange.getIn() instanceof PlatformHttpMessage http && http.getResponse() != null) {
            exchange.setProperty(RESPONSE, http.getResponse());
        }
    }

    static void secure(Exchange exchange) {
        secure(exchange, DATA_POLICY);
    }

    static void secure(Exchange exchange, String policy) {
        var out = exchange.getMessage();
        // Camel's HTTP header filter drops Cache-Control from the message: it is set on the servlet answer itself
        HttpServletResponse response = exchange.getProperty(RESPONSE, HttpServletResponse.class);
        if (response != null) {
            response.setHeader("Cache-Control", "no-store");
        }
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("Referrer-Policy", "no-referrer");
        out.setHeader("Content-Security-Policy", policy);
    }
}
