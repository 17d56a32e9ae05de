package io.tether.attachments.storage;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Drops the optional {@code x-amz-mp-object-size} header that the SDK's multipart client adds to
 * CompleteMultipartUpload: S3-compatible servers that do not know it (S3Proxy among them) refuse the whole request
 * with 501, and S3 itself only uses it as an extra check. Runs before signing, so the signature stays valid.
 */
final class OptionalHeaders implements ExecutionInterceptor {
    static final String OBJECT_SIZE = "x-amz-mp-object-size";

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
        SdkHttpRequest request = context.httpRequest();
        return request.firstMatchingHeader(OBJECT_SIZE).isPresent() ? request.toBuilder().removeHeader(OBJECT_SIZE).build() : request;
    }
}
