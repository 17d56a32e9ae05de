package io.tether.attachments;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Attachments, download descriptors and device fetch tokens, shared by fanout-service (uploads, descriptors),
 * gateway-mqtt (device HTTPS: fetch, downloads, JWKS) and push-service (fetch tokens in pushes). Give every service
 * the same keys, bucket and public URL.
 */
@ConfigMapping(prefix = "tether.attachments")
public interface AttachmentsConfig {

    /**
     * Directory of the signing keys: one {@code <kid>.pem} per key (PKCS#8 private key and its public key, P-256), e.g.
     * a Kubernetes Secret mounted as files. Without it descriptors, download URLs and fetch tokens are off.
     */
    Optional<String> signingKeysDir();

    /**
     * Make a key in {@code signing-keys-dir} when it holds none (local runs: the key is made once and kept). Never in
     * production, where every replica must read the same keys from the Secret. Default false.
     */
    @WithDefault("false")
    boolean generateSigningKey();

    /** Key id that signs; the others only verify (and stay published). Default: the greatest key id in the directory. */
    Optional<String> signingKeyId();

    /**
     * Base URL of the device HTTPS endpoint as devices reach it, by DNS name (e.g. {@code https://devices.example.com}):
     * download URLs start with it. Required for uploaded attachments.
     */
    Optional<String> publicUrl();

    /** Largest body {@code POST /v1/attachments} accepts, in bytes. Default 5 GiB. */
    @WithDefault("5368709120")
    long maxUploadBytes();

    /**
     * An upload fails when no byte of its body moved for this long: 408 when the client sent nothing, 503 when the
     * object store took nothing (the upload is aborted either way). Default 2 minutes.
     */
    @WithDefault("2m")
    Duration uploadStallTimeout();

    /** How long an uploaded body that no message refers to is kept. Default 1 day. */
    @WithDefault("P1D")
    Duration unsentTtl();

    /**
     * Bodies are deleted this long after their last message expired: a message accepted at the last moment has long
     * pushed the deletion back by then. Default 1 minute.
     */
    @WithDefault("1m")
    Duration deletionGrace();

    /** Lifetime of the fetch token a push carries. Default 1 hour; after it the app fetches with its credentials. */
    @WithDefault("PT1H")
    Duration fetchTokenTtl();

    S3 s3();

    /** The S3-compatible object store of uploaded bodies. */
    interface S3 {
        /** Endpoint of an S3-compatible server (MinIO, Ceph, S3Proxy, ...). Default: AWS's endpoint for the region. */
        Optional<URI> endpoint();

        /** Region. Default us-east-1. */
        @WithDefault("us-east-1")
        String region();

        /** Bucket of the bodies (object keys {@code attachments/<id>}). Default tether-attachments. */
        @WithDefault("tether-attachments")
        String bucket();

        /** Path-style URLs ({@code endpoint/bucket/key}), as most S3-compatible servers want. Default true. */
        @WithDefault("true")
        boolean pathStyle();

        /** Access key id; with the secret below. Default: the AWS SDK's default credentials chain (env, IRSA, ...). */
        Optional<String> accessKeyId();

        /** Secret access key (from a Secret, as TETHER_ATTACHMENTS_S3_SECRET_ACCESS_KEY). */
        Optional<String> secretAccessKey();

        /** Create the bucket at start when it is missing (local runs). Default false. */
        @WithDefault("false")
        boolean createBucket();

        /** Multipart upload part size in bytes: the most an upload holds in memory per part. Default 8 MiB. */
        @WithDefault("8388608")
        long partSizeBytes();
    }
}
