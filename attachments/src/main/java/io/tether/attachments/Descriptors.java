package io.tether.attachments;

import io.tether.attachments.signing.Jws;
import io.tether.contract.attachment.AttachmentWire;
import io.tether.contract.attachment.DownloadDescriptor;

/** Signs download descriptors. Devices verify them with the published JWKS (see the README's iOS section). */
public final class Descriptors {
    private Descriptors() {
    }

    public static String sign(Jws jws, DownloadDescriptor descriptor) {
        return jws.sign(AttachmentWire.DESCRIPTOR_TYPE, descriptor);
    }

    /**
     * The claims of a descriptor signed by one of Tether's keys. Its expiry is not checked: it bounds when the URL
     * is served, and a download that finished in time stays valid after it.
     */
    public static DownloadDescriptor verify(Jws jws, String descriptor) throws Jws.Refused {
        return jws.verify(descriptor, AttachmentWire.DESCRIPTOR_TYPE, DownloadDescriptor.class, d -> Long.MAX_VALUE, 0);
    }
}
