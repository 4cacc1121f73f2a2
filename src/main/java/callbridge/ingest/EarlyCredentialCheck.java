package callbridge.ingest;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A credential a request carries in its headers, checked by the body filter before a byte of the body is read:
 * a sender without the right header is answered 401 at once and never holds a connection open with a slow body.
 * The route's own check still runs (and the body-signed ones can only run there); this one may only refuse what
 * that check would refuse too.
 */
public interface EarlyCredentialCheck {
    /** True only when the route {@code routeId} would certainly answer this request 401, whatever its body. */
    boolean refuses(String routeId, HttpServletRequest request);
}
