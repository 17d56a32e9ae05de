import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Writes the test vectors of this folder with nothing but the JDK (run once; ECDSA signatures are randomized, so a
 * second run makes different, equally valid vectors). The private key is never written anywhere.
 * <pre>java attachments/test-vectors/Generate.java attachments/test-vectors</pre>
 */
public class Generate {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        ECPublicKey key = (ECPublicKey) pair.getPublic();

        byte[] file = "Hello from Tether: this is the attachment of the test vectors.\n".getBytes(StandardCharsets.UTF_8);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        String descriptor = "{\"messageId\":\"msg_00000000000000000000000000000001\","
                + "\"url\":\"https://devices.example.com/v1/downloads/EXAMPLE-TOKEN\",\"size\":" + file.length + ","
                + "\"sha256\":\"" + sha256 + "\",\"contentType\":\"text/plain; charset=utf-8\",\"name\":\"hello.txt\","
                + "\"expiresAt\":4102444800000}";
        String header = "{\"kid\":\"test-vector-1\",\"typ\":\"tether-descriptor+jws\",\"alg\":\"ES256\"}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(descriptor.getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(pair.getPrivate());
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        String jws = signingInput + "." + b64.encodeToString(signer.sign());
        String jwks = "{\"keys\":[{\"kty\":\"EC\",\"use\":\"sig\",\"crv\":\"P-256\",\"kid\":\"test-vector-1\",\"alg\":\"ES256\","
                + "\"x\":\"" + b64.encodeToString(fixed(key.getW().getAffineX())) + "\","
                + "\"y\":\"" + b64.encodeToString(fixed(key.getW().getAffineY())) + "\"}]}";

        Files.createDirectories(out);
        Files.write(out.resolve("file.txt"), file);
        Files.writeString(out.resolve("file.sha256"), sha256 + "\n");
        Files.writeString(out.resolve("descriptor.jws"), jws + "\n");
        Files.writeString(out.resolve("descriptor.json"), descriptor + "\n");
        Files.writeString(out.resolve("jwks.json"), jwks + "\n");
    }

    /** A coordinate as the 32 big-endian bytes a JWK wants (BigInteger may add a sign byte or drop leading zeros). */
    private static byte[] fixed(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(32, bytes.length);
        System.arraycopy(bytes, bytes.length - n, out, 32 - n, n);
        return out;
    }
}
