package callbridge.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.WebRequest;

/**
 * Errors answered by Spring itself (404 unknown path, 405 wrong method) take the bridge's
 * shape {@code {"error": "..."}}, with no exception text or trace.
 *
 * <p>Standalone only ({@code CallBridgeApplication} imports it): inside a host application its error answers stay its own.
 */
public class JsonErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Object status = request.getAttribute("jakarta.servlet.error.status_code", WebRequest.SCOPE_REQUEST);
        HttpStatus httpStatus = status instanceof Integer code ? HttpStatus.resolve(code) : null;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", httpStatus == null ? "error" : httpStatus.getReasonPhrase().toLowerCase());
        return body;
    }
}
