package callbridge.providers;

import org.apache.camel.CamelContext;

/** A start check of what the route files declare; runs right after {@link ProviderRoutesLoader} loaded them. */
public interface RouteFilesCheck {
    /** Throws to stop the start. */
    void routeFilesLoaded(CamelContext camel);
}
