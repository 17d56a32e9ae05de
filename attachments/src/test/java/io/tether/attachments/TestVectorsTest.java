package io.tether.attachments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.tether.contract.Json;
import io.tether.contract.attachment.DownloadDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The committed test vectors verify, with plain JDK crypto (AttachmentCheck) and with a JOSE library (Nimbus). */
class TestVectorsTest {
    private static final Path DIR = Path.of("test-vectors");
    private static final String MESSAGE_ID = "msg_00000000000000000000000000000001";

    private static String read(String name) throws Exception {
        return Files.readString(DIR.resolve(name), StandardCharsets.UTF_8).trim();
    }

    @Test
    void theDescriptorVerifiesAgainstTheJwksAndTheFileAgainstTheDescriptor() throws Exception {
        byte[] file = Files.readAllBytes(DIR.resolve("file.txt"));
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        assertEquals(read("file.sha256"), sha256);

        DownloadDescriptor claims = AttachmentCheck.descriptor(read("descriptor.jws"), read("jwks.json"));
        AttachmentCheck.sameMessage(claims, MESSAGE_ID);
        AttachmentCheck.file(claims, file.length, sha256);
        assertEquals(Json.fromString(read("descriptor.json"), DownloadDescriptor.class), claims);

        JWSObject jws = JWSObject.parse(read("descriptor.jws"));
        ECKey key = (ECKey) JWKSet.parse(read("jwks.json")).getKeyByKeyId(jws.getHeader().getKeyID());
        assertTrue(jws.verify(new ECDSAVerifier(key)));
    }

    @Test
    void anAlteredFileOrDescriptorIsRefused() throws Exception {
        DownloadDescriptor claims = AttachmentCheck.descriptor(read("descriptor.jws"), read("jwks.json"));
        assertThrows(AttachmentCheck.Refused.class, () -> AttachmentCheck.file(claims, claims.size(), "0".repeat(64)));
        String[] parts = read("descriptor.jws").split("\\.");
        String altered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertThrows(AttachmentCheck.Refused.class, () -> AttachmentCheck.descriptor(altered, read("jwks.json")));
    }
}
