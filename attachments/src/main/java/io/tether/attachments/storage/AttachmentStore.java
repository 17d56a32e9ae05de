package io.tether.attachments.storage;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploaded attachment bodies in an S3-compatible bucket, object key {@code attachments/<id>}, through the AWS SDK's
 * async client: uploads stream in multipart parts (at most a part or two in memory, whatever the body's size), reads
 * are ranged and streamed.
 */
public final class AttachmentStore implements AutoCloseable {
    private static final String PREFIX = "attachments/";
    /**
     * The most bytes a body given to {@link #upload} may hand over in one {@code onNext}. The buffer of a streamed
     * upload is two parts plus this: the SDK holds the first part back until a second one is complete, and asks for
     * more only while the buffered bytes plus the size of the last piece fit the buffer; with two parts exactly, a
     * second part a few bytes short of full, behind a larger piece, was never asked for, and the upload stalled.
     */
    public static final int MAX_PIECE_BYTES = 64 * 1024;

    private final S3AsyncClient client;
    private final String bucket;

    public AttachmentStore(S3AsyncClient client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    /**
     * A client for {@code endpoint} (empty: AWS), with static credentials when both halves are given and the SDK's
     * default chain otherwise.
     */
    public static AttachmentStore create(Optional<URI> endpoint, String region, String bucket, boolean pathStyle,
            Optional<String> accessKeyId, Optional<String> secretAccessKey, long partSizeBytes) {
        AwsCredentialsProvider credentials = accessKeyId.isPresent() && secretAccessKey.isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId.get(), secretAccessKey.get()))
                : DefaultCredentialsProvider.builder().build();
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .region(Region.of(region))
                .forcePathStyle(pathStyle)
                .credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(64))
                // Checksums only where S3 requires them: many S3-compatible servers reject the SDK's default trailers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new OptionalHeaders()))
                .multipartEnabled(true)
                .multipartConfiguration(multipart -> multipart
                        .minimumPartSizeInBytes(partSizeBytes)
                        .thresholdInBytes(partSizeBytes)
                        .apiCallBufferSizeInBytes(2 * partSizeBytes + MAX_PIECE_BYTES));
        endpoint.ifPresent(builder::endpointOverride);
        return new AttachmentStore(builder.build(), bucket);
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket unless it exists (for local runs; production buckets are made by their operators). */
    public CompletableFuture<Void> ensureBucket() {
        return client.headBucket(b -> b.bucket(bucket)).thenApply(ok -> (Void) null).exceptionallyCompose(error -> {
            Throwable cause = unwrap(error);
            if (cause instanceof NoSuchBucketException || (cause instanceof S3Exception s3 && s3.statusCode() == 404)) {
                return client.createBucket(b -> b.bucket(bucket)).thenApply(ok -> null);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /**
     * Streams {@code body} of unknown length into the object of {@code id}; each of its buffers holds at most
     * {@link #MAX_PIECE_BYTES}.
     */
    public CompletableFuture<Void> upload(String id, String contentType, Publisher<ByteBuffer> body) {
        return client.putObject(b -> b.bucket(bucket).key(key(id)).contentType(contentType), AsyncRequestBody.fromPublisher(body))
                .thenApply(response -> null);
    }

    /**
     * The bytes {@code first} to {@code last} (inclusive) of the body of {@code id}, as a stream; fails with
     * {@link NoSuchKeyException} when there is no such body (any more).
     */
    public CompletableFuture<ResponsePublisher<GetObjectResponse>> read(String id, long first, long last) {
        return client.getObject(b -> b.bucket(bucket).key(key(id)).range("bytes=" + first + "-" + last),
                AsyncResponseTransformer.toPublisher());
    }

    /** Whether a body is stored for {@code id}. */
    public CompletableFuture<Boolean> exists(String id) {
        return client.headObject(b -> b.bucket(bucket).key(key(id))).thenApply(ok -> true).exceptionallyCompose(error -> {
            Throwable cause = unwrap(error);
            if (cause instanceof NoSuchKeyException || (cause instanceof S3Exception s3 && s3.statusCode() == 404)) {
                return CompletableFuture.completedFuture(false);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /** Deletes the body of {@code id}; deleting a body that is gone succeeds. */
    public CompletableFuture<Void> delete(String id) {
        return client.deleteObject(b -> b.bucket(bucket).key(key(id))).thenApply(ok -> null);
    }

    /** The object key of {@code id}, for reading the bucket directly (benchmarks, tests). */
    public static String key(String id) {
        return PREFIX + id;
    }

    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void close() {
        client.close();
    }
}
