package callbridge.ingest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a webhook body as raw bytes, at most {@code limit} of them, before Camel sees the request.
 * The platform-http consumer copies the whole stream into a stream cache before any route step
 * runs, so the limit must hold here, on bytes actually read (chunked requests carry no length).
 * Over the limit: 413 and nothing reaches the routes.
 */
public class WebhookBodyFilter extends OncePerRequestFilter {
    private final long limit;
    private final BooleanSupplier routesStarted;

    public WebhookBodyFilter(long limit, BooleanSupplier routesStarted) {
        this.limit = limit;
        this.routesStarted = routesStarted;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        if (!routesStarted.getAsBoolean()) {
            // the web server answers a moment before the routes are up (or after they stopped): a 404 would tell a
            // provider the endpoint does not exist; 503 tells it to send again
            answer(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "starting or stopping, send again shortly");
            response.setHeader("Retry-After", "5");
            return;
        }
        if (request.getContentLengthLong() > limit) {
            tooLarge(response);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), limit);
        if (body == null) {
            tooLarge(response);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), response);
    }

    /** The body, or null when it has more than {@code max} bytes. */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        return body.length > max ? null : body;
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close");
        answer(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "request body larger than " + limit + " bytes");
    }

    private static void answer(HttpServletResponse response, int status, String error) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(ErrorAnswer.json(error).getBytes(StandardCharsets.UTF_8));
    }

    /** Serves the bytes already read, as often as asked. */
    static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private static final String JSON = "application/json";
        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("body is already buffered");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        /**
         * The body is always read as JSON bytes: a form content type (curl's default) must not
         * make the HTTP binding parse it as form fields.
         */
        @Override
        public String getContentType() {
            String declared = super.getContentType();
            return declared == null || declared.startsWith("application/x-www-form-urlencoded") ? JSON : declared;
        }

        @Override
        public String getHeader(String name) {
            return "content-type".equalsIgnoreCase(name) ? getContentType() : super.getHeader(name);
        }

        @Override
        public java.util.Enumeration<String> getHeaders(String name) {
            return "content-type".equalsIgnoreCase(name)
                    ? java.util.Collections.enumeration(java.util.List.of(getContentType())) : super.getHeaders(name);
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
