package io.tether.rest.scope;

import io.tether.rest.auth.ApiPrincipal;
import io.tether.rest.auth.CurrentCaller;
import io.tether.rest.problem.ProblemException;
import io.tether.rest.problem.ProblemType;

/** The answers every REST service gives a key limited to some apps. */
public final class AppScopes {
    private AppScopes() {
    }

    /** An app the key may not reach does not exist for it: 404, as for an unknown app. */
    public static void requireApp(CurrentCaller caller, String appId) {
        if (!caller.principal().map(principal -> principal.mayReach(appId)).orElse(true)) {
            throw ProblemException.notFound("no such app");
        }
    }

    /** What reaches every app (API keys, quotas, users' grants) needs a key of every app: 403 naming {@code what}. */
    public static void requireEveryApp(CurrentCaller caller, String what) {
        if (caller.principal().map(ApiPrincipal::isAppScoped).orElse(false)) {
            throw new ProblemException(ProblemType.FORBIDDEN, what + " needs a key that is not limited to apps");
        }
    }
}
