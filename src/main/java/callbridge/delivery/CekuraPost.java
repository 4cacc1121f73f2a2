package callbridge.delivery;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One POST of the exchange's body to {@code CEKURA_WEBHOOK_URL}, asynchronous: Apache HttpClient 5's async client (the
 * library under camel-http, already on the class path) sends it from one I/O thread for all connections, and the route
 * goes on when Cekura answers, on one of {@value #THREADS} threads that record outcomes. A POST in flight holds no
 * thread. A non-2xx answer fails the exchange with camel-http's {@link HttpOperationFailedException} (status, headers,
 * body), no answer with the IOException, so the error handler and {@link callbridge.http.HttpRetry} decide as for any
 * HTTP endpoint; the client never retries on its own. The webhook URL is never in an endpoint URI, a log line or an
 * error text.
 */
@Component("bridgeCekuraPost")
public class CekuraPost extends AsyncProcessorSupport implements DisposableBean {
    /** Threads that run the rest of the route once Cekura answered (recording the outcome: short store writes). */
    static final int THREADS = 4;
    private static final ContentType JSON = ContentType.create("application/json");
    private final CekuraProperties cekura;
    private final ExecutorService answers;
    private final CloseableHttpAsyncClient client;

    public CekuraPost(CekuraProperties cekura) {
        this.cekura = cekura;
        this.answers = Executors.newFixedThreadPool(THREADS, named("bridge-cekura-answers-"));
        this.client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(cekura.maxInFlight())
                        .setMaxConnPerRoute(cekura.maxInFlight())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(cekura.connectTimeout()))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(cekura.responseTimeout()))
                        .build())
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).build())
                .setThreadFactory(named("bridge-cekura-io-"))
                .disableAutomaticRetries()     // every attempt is one the bridge counts and schedules itself
                .disableRedirectHandling()
                .disableCookieManagement()
                .build();
        this.client.start();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        SimpleHttpRequest request;
        try {
            request = SimpleRequestBuilder.post(cekura.webhookUrl())
                    .setHeader("X-CEKURA-API-KEY", cekura.apiKey() == null ? "" : cekura.apiKey())
                    .setBody(exchange.getMessage().getMandatoryBody(String.class).getBytes(StandardCharsets.UTF_8), JSON)
                    .build();
        } catch (Exception notSendable) {
            exchange.setException(notSendable);
            callback.done(true);
            return true;
        }
        client.execute(request, new FutureCallback<>() {
            @Override
            public void completed(SimpleHttpResponse response) {
                answered(exchange, callback, () -> {
                    if (response.getCode() / 100 != 2) {
                        exchange.setException(new HttpOperationFailedException("cekura", response.getCode(),
                                response.getReasonPhrase(), null, headers(response), response.getBodyText()));
                    } else {
                        exchange.getMessage().getHeaders().clear();
                        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, response.getCode());
                        exchange.getMessage().setBody(response.getBodyText());
                    }
                });
            }

            @Override
            public void failed(Exception failure) {
                answered(exchange, callback, () -> exchange.setException(failure));
            }

            @Override
            public void cancelled() {
                answered(exchange, callback, () -> exchange.setException(new java.io.InterruptedIOException("POST to Cekura cancelled")));
            }
        });
        return false;
    }

    /** The rest of the route runs on an answer thread, never on the client's I/O thread that serves every POST. */
    private void answered(Exchange exchange, AsyncCallback callback, Runnable outcome) {
        Runnable rest = () -> {
            try {
                outcome.run();
            } catch (RuntimeException unexpected) {
                exchange.setException(unexpected);
            } finally {
                callback.done(false);
            }
        };
        try {
            answers.execute(rest);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            rest.run();   // the bridge is stopping: finish here rather than leave the exchange hanging
        }
    }

    private static Map<String, String> headers(SimpleHttpResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : response.getHeaders()) {
            headers.putIfAbsent(header.getName(), header.getValue());
        }
        return headers;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Answers still on their way run their route to the end; then the client and the threads stop. */
    @Override
    public void destroy() throws InterruptedException {
        client.close(CloseMode.GRACEFUL);
        answers.shutdown();
        answers.awaitTermination(5, TimeUnit.SECONDS);
    }
}
