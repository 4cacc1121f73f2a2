package callbridge.ingest;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request to the bridge's own paths passes here before Spring MVC or Camel sees it, so that no sender, with or
 * without credentials, can hold a worker thread or the heap with its body:
 * <ul>
 * <li>a method no bridge route takes on the path is 405 (with {@code Allow}), an unknown path with a body 404, and a
 *     body on a method that takes none 413, all before a byte of the body is read;</li>
 * <li>a body declared larger than the limit is 413 at once; a body that turns out larger is 413 as soon as the limit
 *     is passed (chunked requests carry no length);</li>
 * <li>a webhook whose header credential is missing or wrong is 401 before its body is read
 *     ({@link EarlyCredentialCheck});</li>
 * <li>the body is read without blocking a thread: what has already arrived is taken at once (the usual webhook, whose
 *     body came with its headers); the rest is read by Servlet non-blocking I/O, and a body not whole within
 *     {@code BRIDGE_BODY_READ_TIMEOUT} is 408. Only then does the request go on (an async dispatch) with its body in
 *     memory.</li>
 * </ul>
 * The platform-http consumer copies the whole stream into a stream cache before any route step runs, so the limits
 * must hold here, on bytes actually read. Refusals close the connection: what the sender still sends is not read.
 */
public class RequestBodyFilter extends HttpFilter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestBodyFilter.class);
    /** Request attribute: the body read without blocking, for the async dispatch that carries the request on. */
    static final String BODY = RequestBodyFilter.class.getName() + ".body";
    private static final List<String> BODY_METHODS = List.of("POST", "PUT", "PATCH");

    private final long limit;
    private final Duration readTimeout;
    private final BooleanSupplier routesStarted;
    private final RouteEndpoints endpoints;
    private final List<EarlyCredentialCheck> earlyChecks;
    private final RefusedWebhooks refused;
    private final long maxBuffered;
    /** Standalone: a body on a path no bridge route serves is refused; in a host, such a path is the host's. */
    private final boolean refuseOtherBodies;
    /** Bytes of bodies still arriving, held in memory, on this node. */
    private final AtomicLong buffered = new AtomicLong();

    public RequestBodyFilter(long limit, Duration readTimeout, BooleanSupplier routesStarted, RouteEndpoints endpoints,
            List<EarlyCredentialCheck> earlyChecks, RefusedWebhooks refused, long maxBuffered, boolean refuseOtherBodies) {
        this.limit = limit;
        this.readTimeout = readTimeout;
        this.routesStarted = routesStarted;
        this.endpoints = endpoints;
        this.earlyChecks = earlyChecks;
        this.refused = refused;
        this.maxBuffered = maxBuffered;
        this.refuseOtherBodies = refuseOtherBodies;
    }

    /** Bytes of bodies still arriving, held in memory now ({@code bridge_ingest_bodies_arriving_bytes}). */
    public long bufferedBytes() {
        return buffered.get();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            // the dispatch after a non-blocking read (and Spring MVC's own, later): the body is in memory
            byte[] body = (byte[]) request.getAttribute(BODY);
            chain.doFilter(body == null ? request : new BufferedBodyRequest(request, body), response);
            return;
        }
        String method = request.getMethod();
        boolean declaresBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!routesStarted.getAsBoolean()) {
            if ("POST".equals(method)) {
                // the web server answers a moment before the routes are up (or after they stopped): a 404 would tell a
                // provider the endpoint does not exist; 503 tells it to send again
                response.setHeader("Retry-After", "5");
                refuse(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "starting or stopping, send again shortly", declaresBody);
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        String path = pathOf(request);
        Optional<RouteEndpoints.Match> match = endpoints.match(path);
        if (match.isEmpty()) {
            if (!declaresBody || !refuseOtherBodies) {
                // a host's own controller under a guarded path (/webhooks/host-thing), or a switched-off feature's path
                chain.doFilter(request, response);
            } else if (path.startsWith("/webhooks/") || path.startsWith("/cekura/")) {
                refuse(request, response, HttpServletResponse.SC_NOT_FOUND, "no such endpoint", true);   // a provider's wrong URL
            } else {
                tooLarge(request, response, 0, true);   // not a bridge route (the actuator, standalone): no body is taken
            }
            return;
        }
        RouteEndpoints.Match endpoint = match.get();
        String provider = providerOf(endpoint);
        if (!endpoint.takes(method)) {
            if (!"OPTIONS".equals(method) || declaresBody) {
                count(provider, "method");
                response.setHeader("Allow", endpoint.allowHeader());
                refuse(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method not allowed", declaresBody);
                return;
            }
        }
        long allowed = BODY_METHODS.contains(method) ? limit : 0;
        if (request.getContentLengthLong() > allowed || (allowed == 0 && declaresBody)) {
            count(provider, "too-large");
            tooLarge(request, response, allowed, declaresBody);
            return;
        }
        String routeId = endpoint.routeFor(method).orElse("");
        for (EarlyCredentialCheck check : earlyChecks) {
            if (check.refuses(routeId, request)) {
                count(provider, "unauthorized");
                refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, "missing or invalid credential", declaresBody);
                return;
            }
        }
        if (!declaresBody) {
            chain.doFilter(allowed == 0 ? request : new BufferedBodyRequest(request, new byte[0]), response);
            return;
        }
        readBody(request, response, chain, provider);
    }

    /** The body already in Tomcat's buffer is taken now; if more is to come, the rest arrives without a thread. */
    private void readBody(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String provider)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        ServletInputStream in = request.getInputStream();
        // grown as bytes come, never sized by what a sender declares
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 1024), 16 * 1024));
        if (declared > 0) {
            byte[] buffer = new byte[8192];
            // available() counts what is buffered already: reading that much never blocks
            while (body.size() < declared && in.available() > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, declared - body.size()));
                if (read < 0) {
                    break;
                }
                body.write(buffer, 0, read);
            }
            if (body.size() == declared) {
                chain.doFilter(new BufferedBodyRequest(request, body.toByteArray()), response);
                return;
            }
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(readTimeout.toMillis());
        NonBlockingRead read = new NonBlockingRead(async, in, body, provider);
        read.hold(body.size());
        async.addListener(read);
        in.setReadListener(read);
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response, long allowed, boolean bodyUnread)
            throws IOException {
        refuse(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                allowed == 0 ? "this endpoint takes no request body" : "request body larger than " + allowed + " bytes", bodyUnread);
    }

    /**
     * An error answer. With a body left unread, the connection is closed after it without reading more: a servlet
     * container otherwise reads ("swallows") the rest of the body on a worker thread before it answers the next
     * request on the connection, and a slow or endless body would hold that worker.
     */
    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String error, boolean bodyUnread)
            throws IOException {
        write(response, status, error, bodyUnread);
        if (bodyUnread) {
            closeUnread(request.startAsync(request, response), request.getInputStream());
        }
    }

    private static void write(HttpServletResponse response, int status, String error, boolean close) throws IOException {
        if (close) {
            response.setHeader("Connection", "close");
        }
        response.setStatus(status);
        response.setContentType("application/json");
        byte[] answer = ErrorAnswer.json(error).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
        response.flushBuffer();
    }

    /**
     * Ends an answered request whose body is not wanted by failing it: the container then closes the connection
     * instead of reading the body to its end. A read that fails is such a failure (the next bytes, if any come), and so
     * is an asynchronous cycle that no one completes (the sender sends nothing more).
     */
    private static void closeUnread(AsyncContext async, ServletInputStream in) {
        async.setTimeout(1000);
        in.setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
                throw new IOException("request refused, its body is not read");
            }

            @Override
            public void onAllDataRead() {
                async.complete();
            }

            @Override
            public void onError(Throwable failure) {
                // the container closes the connection
            }
        });
    }

    /** The provider a webhook route serves, from the path its route registered (never what the sender wrote); else null. */
    private static String providerOf(RouteEndpoints.Match endpoint) {
        String path = endpoint.path();
        if (!path.startsWith("/webhooks/")) {
            return null;
        }
        String name = path.substring("/webhooks/".length());
        return name.isEmpty() || name.contains("/") || name.contains("{") ? RefusedWebhooks.UNKNOWN : name;
    }

    /** Only provider webhooks are counted (the trigger and admin are not a provider's). */
    private void count(String provider, String reason) {
        if (provider != null && refused != null) {
            refused.refused(provider, reason);
        }
    }

    private static String pathOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    /** Reads the rest of a body as it arrives, on no thread of its own; whole: dispatched on; late: 408; too big: 413. */
    private final class NonBlockingRead implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final ServletInputStream in;
        private final ByteArrayOutputStream body;
        private final AtomicBoolean decided = new AtomicBoolean();
        private final byte[] buffer = new byte[8192];
        private final String provider;
        private final AtomicLong held = new AtomicLong();

        NonBlockingRead(AsyncContext async, ServletInputStream in, ByteArrayOutputStream body, String provider) {
            this.async = async;
            this.in = in;
            this.body = body;
            this.provider = provider;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!decided.get() && in.isReady()) {
                int read = in.read(buffer);
                if (read < 0) {
                    return;   // onAllDataRead follows
                }
                body.write(buffer, 0, read);
                if (!hold(read) && decided.compareAndSet(false, true)) {
                    // every slow body on this node together may hold BRIDGE_INGEST_MAX_BUFFERED_BODIES at most
                    release();
                    count(provider, "too-large");   // the body did not fit: here, the node's room for bodies
                    ((HttpServletResponse) async.getResponse()).setHeader("Retry-After", "5");
                    answer(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "too many request bodies arriving at once, send again shortly");
                    throw new IOException("bodies in flight over their budget, the rest is not read");
                }
                if (body.size() > limit && decided.compareAndSet(false, true)) {
                    release();
                    count(provider, "too-large");
                    answer(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "request body larger than " + limit + " bytes");
                    // a failed read makes the container close the connection rather than read the rest
                    throw new IOException("request body over the limit, the rest is not read");
                }
            }
        }

        @Override
        public void onAllDataRead() {
            if (decided.compareAndSet(false, true)) {
                release();   // whole: from now on an ordinary request's body, no longer a slow one
                async.getRequest().setAttribute(BODY, body.toByteArray());
                async.dispatch();
            }
        }

        @Override
        public void onError(Throwable failure) {
            // the sender broke off, or the read was failed on purpose after an answer: the container closes
            release();
            if (decided.compareAndSet(false, true)) {
                LOG.debug("request body not read: {}", failure.toString());
            }
        }

        /** Answered, and not completed: an async cycle that times out uncompleted is closed, the rest unread. */
        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            release();
            if (decided.compareAndSet(false, true)) {
                count(provider, "read-timeout");
                answer(HttpServletResponse.SC_REQUEST_TIMEOUT,
                        "request body not received within " + readTimeout.toMillis() + " ms");
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        /** Counts {@code bytes} more of this body against the node's budget; false when over it. */
        boolean hold(long bytes) {
            held.addAndGet(bytes);
            return buffered.addAndGet(bytes) <= maxBuffered;
        }

        /** Gives back what this body held, once. */
        void release() {
            buffered.addAndGet(-held.getAndSet(0));
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void answer(int status, String error) throws IOException {
            write((HttpServletResponse) async.getResponse(), status, error, true);
        }
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
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
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
            if ("content-type".equalsIgnoreCase(name)) {
                return getContentType();
            }
            if ("transfer-encoding".equalsIgnoreCase(name)) {
                return null;
            }
            return "content-length".equalsIgnoreCase(name) ? String.valueOf(body.length) : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String value = getHeader(name);
            if ("content-type".equalsIgnoreCase(name) || "content-length".equalsIgnoreCase(name)
                    || "transfer-encoding".equalsIgnoreCase(name)) {
                return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
            }
            return super.getHeaders(name);
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
