package io.tether.rest.auth;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** CDI wiring of the default {@link ApiKeyVerifier}; an application bean of that type replaces it. */
public class ApiAuthBeans {
    private static final Logger LOG = Logger.getLogger(ApiAuthBeans.class);

    @Produces
    @DefaultBean
    @Singleton
    ApiKeyVerifier bootstrapKeyVerifier(ApiConfig config) {
        BootstrapKeyVerifier verifier = new BootstrapKeyVerifier(config.bootstrapKey());
        if (!verifier.isConfigured()) {
            LOG.warn("tether.api.bootstrap-key is not set: every /v1/ request will be answered 401");
        }
        return verifier;
    }
}
