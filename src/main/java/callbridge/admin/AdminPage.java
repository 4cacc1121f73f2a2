package callbridge.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The ops page: one HTML file, a plain script and a style sheet inside the jar, read once at start.
 * No build step, nothing from another host: it works offline and inside a host application.
 */
@Component("bridgeAdminPage")
public class AdminPage {
    private static final String FOLDER = "/callbridge/admin/page/";
    private static final Map<String, String> ASSETS = Map.of(
            "ops.js", "text/javascript; charset=utf-8",
            "ops.css", "text/css; charset=utf-8",
            "icon.svg", "image/svg+xml");

    private final byte[] index;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();
    /** The last segment of the base path and a slash ({@code admin/}): relative, so a host's context path is kept. */
    private final String slashed;

    public AdminPage(@Value("${bridge.admin.base-path:/admin}") String basePath) {
        String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        slashed = base.substring(base.lastIndexOf('/') + 1) + "/";
        index = read("index.html");
        ASSETS.keySet().forEach(name -> assets.put(name, read(name)));
    }

    public void index(Exchange exchange) {
        answer(exchange, index, "text/html; charset=utf-8");
    }

    /** Only the page's own files, by name; anything else is 404. */
    public void asset(Exchange exchange, @Header("asset") String name) {
        byte[] bytes = name == null ? null : assets.get(name);
        if (bytes == null) {
            throw new NotFoundException("no such file");
        }
        answer(exchange, bytes, ASSETS.get(name));
    }

    /** {@code /admin} (the base path) without the slash: the page's relative links need it, inside a host's context path too. */
    public void redirect(Exchange exchange) {
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        out.setHeader("Location", slashed);
        AdminAnswers.secure(exchange);
        out.setBody(new byte[0]);
    }

    private static void answer(Exchange exchange, byte[] bytes, String contentType) {
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        AdminAnswers.secure(exchange, AdminAnswers.PAGE_POLICY);
        out.setBody(bytes);
    }

    private static byte[] read(String name) {
        try (InputStream in = AdminPage.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the ops page file " + FOLDER + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
