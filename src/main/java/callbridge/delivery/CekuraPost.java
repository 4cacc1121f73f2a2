package callbridge.delivery;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.support.AsyncProcessorSupport;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One POST of the exchange's body to {@code CEKURA_WEBHOOK_URL}, asynchronous: the JDK's HttpClient sends it and the
 * route goes on when Cekura answers, so a POST in flight holds no thread (one selector thread for all connections, and
 * {@value #THREADS} threads that run the rest of the route once an answer came). A non-2xx answer fails the exchange
 * with camel-http's {@link HttpOperationFailedException} (status, headers, body), no answer with the IOException, so
 * the error handler and {@link callbridge.http.HttpRetry} decide as for any HTTP endpoint. The webhook URL is never
 * in an endpoint URI, a log line or an error text.
 */
@Component("bridgeCekuraPost")
public class CekuraPost extends AsyncProcessorSupport implements DisposableBean {
    static final int THREADS = 4;
    private final CekuraProperties cekura;
    private final ExecutorService answers;
    private final HttpClient client;

    public CekuraPost(CekuraProperties cekura) {
        this.cekura = cekura;
        AtomicInteger number = new AtomicInteger();
        this.answers = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "bridge-cekura-answers-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)   // like camel-http: no h2c upgrade attempt on plain http
                .connectTimeout(cekura.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(ProxySelector.getDefault())
                .executor(answers)
                .build();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(cekuraUri())
                    .timeout(cekura.responseTimeout())
                    .header("X-CEKURA-API-KEY", cekura.apiKey() == null ? "" : cekura.apiKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(exchange.getMessage().getMandatoryBody(String.class), StandardCharsets.UTF_8))
                    .build();
        } catch (Exception notSendable) {
            exchange.setException(notSendable);
            callback.done(true);
            return true;
        }
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).whenComplete((response, failure) -> {
            try {
                if (failure != null) {
                    exchange.setException(unwrapped(failure));
                } else if (response.statusCode() / 100 != 2) {
                    exchange.setException(new HttpOperationFailedException("cekura", response.statusCode(), null, null,
                            headers(response), response.body()));
                } else {
                    exchange.getMessage().getHeaders().clear();
                    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, response.statusCode());
                    exchange.getMessage().setBody(response.body());
                }
            } catch (RuntimeException | Error unexpected) {
                exchange.setException(unexpected);
            } finally {
                callback.done(false);
            }
        });
        return false;
    }

    private URI cekuraUri() {
        return cekura.webhookUrl();
    }

    private static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static Map<String, String> headers(HttpResponse<?> response) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name, values.get(0));
            }
        });
        return headers;
    }

    /** Answers still on their way run their route to the end; then the threads stop. */
    @Override
    public void destroy() {
        answers.shutdown();
    }
}
