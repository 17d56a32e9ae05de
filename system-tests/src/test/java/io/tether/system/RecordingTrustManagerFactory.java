package io.tether.system;

import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509TrustManager;

/** A trust manager factory whose trust manager delegates the check and records each server certificate it is shown. */
final class RecordingTrustManagerFactory extends TrustManagerFactory {

    RecordingTrustManagerFactory(X509TrustManager delegate, List<X509Certificate> seen) {
        super(new Spi(delegate, seen), new Provider("tether-test-recording", "1.0", "records server certificates") {
        }, "recording");
    }

    private static final class Spi extends TrustManagerFactorySpi {
        private final TrustManager manager;

        Spi(X509TrustManager delegate, List<X509Certificate> seen) {
            manager = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    delegate.checkClientTrusted(chain, authType);
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    seen.add(chain[0]);
                    delegate.checkServerTrusted(chain, authType);
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return delegate.getAcceptedIssuers();
                }
            };
        }

        @Override
        protected void engineInit(KeyStore keyStore) {
        }

        @Override
        protected void engineInit(ManagerFactoryParameters params) {
        }

        @Override
        protected TrustManager[] engineGetTrustManagers() {
            return new TrustManager[] {manager};
        }
    }
}
