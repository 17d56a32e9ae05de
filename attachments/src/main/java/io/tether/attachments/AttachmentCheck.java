package io.tether.attachments;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.contract.Json;
import io.tether.contract.attachment.AttachmentWire;
import io.tether.contract.attachment.DownloadDescriptor;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.Locale;

/**
 * What a device does with a downloaded attachment, in plain JDK crypto (no JOSE library, nothing shared with the
 * signing side): verify the descriptor's ES256 signature with the key its {@code kid} names in Tether's JWKS, check
 * it belongs to the message, then check the file's size and SHA-256. The Swift sample in the README does the same;
 * {@code test-vectors/} holds inputs any client can check itself against.
 */
public final class AttachmentCheck {
    private AttachmentCheck() {
    }

    /** A descriptor or a file that must not be used, and why. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The descriptor's claims, when its signature verifies against a key of {@code jwks} (a JWKS document). */
    public static DownloadDescriptor descriptor(String descriptor, String jwks) throws Refused {
        String[] parts = descriptor.split("\\.", -1);
        if (parts.length != 3) {
            throw new Refused("the descriptor is not a compact JWS (three dot-separated parts)");
        }
        JsonNode header = json(parts[0], "header");
        if (!AttachmentWire.ALGORITHM.equals(header.path("alg").asText()) || !AttachmentWire.DESCRIPTOR_TYPE.equals(header.path("typ").asText())) {
            throw new Refused("the descriptor's header is not alg ES256, typ " + AttachmentWire.DESCRIPTOR_TYPE);
        }
        String kid = header.path("kid").asText();
        JsonNode key = null;
        for (JsonNode candidate : Json.fromString(jwks, JsonNode.class).path("keys")) {
            if (kid.equals(candidate.path("kid").asText())) {
                key = candidate;
            }
        }
        if (key == null) {
            throw new Refused("the descriptor is signed with key " + kid + ", which Tether does not publish");
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(publicKey(key));
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new Refused("the descriptor's signature does not match its content (it was altered, or not signed by Tether)");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Refused("the descriptor's signature cannot be checked: " + e.getMessage());
        }
        try {
            return Json.fromBytes(Base64.getUrlDecoder().decode(parts[1]), DownloadDescriptor.class);
        } catch (IllegalArgumentException e) {
            throw new Refused("the descriptor's payload is not a download descriptor");
        }
    }

    /** Refuses a descriptor that came with another message than {@code messageId}. */
    public static void sameMessage(DownloadDescriptor descriptor, String messageId) throws Refused {
        if (!descriptor.messageId().equals(messageId)) {
            throw new Refused("the descriptor belongs to message " + descriptor.messageId() + ", not " + messageId);
        }
    }

    /** Refuses a file whose size or SHA-256 (hex) is not the descriptor's. */
    public static void file(DownloadDescriptor descriptor, long size, String sha256Hex) throws Refused {
        if (size != descriptor.size()) {
            throw new Refused("the file has " + size + " bytes, the descriptor says " + descriptor.size());
        }
        if (!descriptor.sha256().equals(sha256Hex.toLowerCase(Locale.ROOT))) {
            throw new Refused("the file's SHA-256 is " + sha256Hex + ", the descriptor says " + descriptor.sha256());
        }
    }

    private static JsonNode json(String base64url, String what) throws Refused {
        try {
            return Json.fromBytes(Base64.getUrlDecoder().decode(base64url), JsonNode.class);
        } catch (IllegalArgumentException e) {
            throw new Refused("the descriptor's " + what + " is not base64url JSON");
        }
    }

    private static PublicKey publicKey(JsonNode jwk) throws GeneralSecurityException {
        if (!"EC".equals(jwk.path("kty").asText()) || !"P-256".equals(jwk.path("crv").asText())) {
            throw new GeneralSecurityException("key " + jwk.path("kid").asText() + " is not a P-256 EC key");
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECPoint point = new ECPoint(new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("x").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("y").asText())));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
    }
}
