package io.tether.push.apns;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How an app authenticates to APNs. Equal credentials share one client per environment, so apps signed with
 * the same team key share its connections (APNs allows one team per connection).
 */
public sealed interface ApnsCredentials {

    /** Token authentication: Pushy signs provider tokens (JWT) with the .p8 key. */
    record SigningKey(Path file, String teamId, String keyId) implements ApnsCredentials {
        public SigningKey {
            Objects.requireNonNull(file, "signing-key");
            Objects.requireNonNull(teamId, "team-id");
            Objects.requireNonNull(keyId, "key-id");
        }
    }

    /** Certificate authentication: a PKCS#12 client certificate. */
    record Certificate(Path file, String password) implements ApnsCredentials {
        public Certificate {
            Objects.requireNonNull(file, "certificate");
        }

        @Override
        public String toString() {
            return "Certificate[file=" + file + ", password=***]"; // never the password
        }
    }
}
