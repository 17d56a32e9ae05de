package io.tether.attachments.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import io.tether.attachments.AttachmentsConfig;
import io.tether.contract.Json;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Signs and verifies Tether's compact JWS objects: ES256, the key id in the header, a {@code typ} per use, JSON
 * payloads that carry an {@code expiresAt} (epoch millis). A failure says which check failed, so a refusal can tell.
 */
public final class Jws {
    private final SigningKeys keys;

    public Jws(SigningKeys keys) {
        this.keys = keys;
    }

    /** The signer and verifier of descriptors and tokens, when signing keys are configured. */
    public static Optional<Jws> fromConfig(AttachmentsConfig config) {
        return config.signingKeysDir().map(dir -> new Jws(config.generateSigningKey()
                ? SigningKeys.loadOrGenerate(Path.of(dir), config.signingKeyId())
                : SigningKeys.load(Path.of(dir), config.signingKeyId())));
    }

    public SigningKeys keys() {
        return keys;
    }

    /** {@code claims} (a record or map, serialized as JSON) signed with the current key. */
    public String sign(String type, Object claims) {
        ECKey key = keys.current();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(new JOSEObjectType(type)).build();
        JWSObject jws = new JWSObject(header, new Payload(Json.toBytes(claims)));
        try {
            jws.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with key " + key.getKeyID(), e);
        }
        return jws.serialize();
    }

    /** Why a JWS was refused. */
    public enum Failure {
        MALFORMED("is not a valid JWS"),
        WRONG_TYPE("is not meant for this use"),
        UNKNOWN_KEY("is signed with a key Tether does not know (any more)"),
        BAD_SIGNATURE("has a signature that does not match its content"),
        EXPIRED("has expired");

        private final String description;

        Failure(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** A JWS that did not pass {@link #verify}. */
    public static final class Refused extends Exception {
        private final Failure failure;

        public Refused(Failure failure) {
            super(failure.description(), null, false, false);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    /**
     * The claims of {@code compact} when it is an ES256 JWS of {@code type}, signed by a known key, and not expired at
     * {@code nowMillis} (the claims' {@code expiresAt}, epoch millis).
     */
    public <T> T verify(String compact, String type, Class<T> claimsType, ToLongFunction<T> expiresAt, long nowMillis)
            throws Refused {
        JWSObject jws;
        try {
            jws = JWSObject.parse(compact);
        } catch (ParseException | RuntimeException e) {
            throw new Refused(Failure.MALFORMED);
        }
        JWSHeader header = jws.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw new Refused(Failure.MALFORMED);
        }
        if (header.getType() == null || !type.equals(header.getType().getType())) {
            throw new Refused(Failure.WRONG_TYPE);
        }
        Optional<ECKey> key = keys.byKid(header.getKeyID());
        if (key.isEmpty()) {
            throw new Refused(Failure.UNKNOWN_KEY);
        }
        try {
            if (!jws.verify(new ECDSAVerifier(key.get().toECPublicKey()))) {
                throw new Refused(Failure.BAD_SIGNATURE);
            }
        } catch (JOSEException e) {
            throw new Refused(Failure.BAD_SIGNATURE);
        }
        T claims;
        try {
            claims = Json.fromString(jws.getPayload().toString(), claimsType);
        } catch (IllegalArgumentException e) {
            throw new Refused(Failure.MALFORMED);
        }
        if (expiresAt.applyAsLong(claims) <= nowMillis) {
            throw new Refused(Failure.EXPIRED);
        }
        return claims;
    }

    /** Fails unless the private half of {@code key} signs what its public half verifies. */
    static void requireMatchingPair(ECKey key) throws JOSEException {
        JWSObject probe = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("probe".getBytes(StandardCharsets.UTF_8)));
        probe.sign(new ECDSASigner(key));
        if (!probe.verify(new ECDSAVerifier(key.toECPublicKey()))) {
            throw new JOSEException("the public key does not belong to the private key");
        }
    }
}
