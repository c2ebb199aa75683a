package dev.orchardmdm.dep.swupdate;

import dev.orchardmdm.dep.AbmApiException;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.ClientBuilder;
import dev.orchardmdm.dep.http.HttpExchange;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Fetches Apple's software-update catalog. By default its TLS trusts only the bundled Apple Root CA
 * ({@link AppleRootTrust}), as {@code gdmf.apple.com} presents an Apple-rooted certificate.
 *
 * <pre>{@code
 * SoftwareUpdateCatalog catalog = SoftwareUpdateCatalogClient.builder().build().fetch();
 * List<SoftwareRelease> offers = catalog.updatesFor("J413AP", "22E261", LocalDate.now());
 * }</pre>
 */
public final class SoftwareUpdateCatalogClient {

    /** Apple's catalog URL. */
    public static final HttpUrl DEFAULT_URL = HttpUrl.get("https://gdmf.apple.com/v2/pmv");

    private final HttpUrl url;
    private final HttpExchange http;

    private SoftwareUpdateCatalogClient(Builder b) {
        this.url = b.url;
        this.http = b.exchange("software update catalog");
    }

    /** A builder; {@link Builder#baseUrl} is ignored, use {@link Builder#url}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Downloads and parses the catalog. */
    public SoftwareUpdateCatalog fetch() throws AbmException {
        HttpExchange.Reply reply = http.send(() -> new Request.Builder().url(url).get()
                .header("Accept", "application/json").header("User-Agent", "orchard-mdm-dep").build());
        if (!reply.successful()) {
            throw new AbmApiException("software update catalog answered " + reply.status(), reply.status(), null);
        }
        return SoftwareUpdateCatalog.parse(http.jsonObject(reply, "software update catalog"));
    }

    /** Builds a {@link SoftwareUpdateCatalogClient}. */
    public static final class Builder extends ClientBuilder<Builder> {
        private HttpUrl url = DEFAULT_URL;

        private Builder() {
            super(DEFAULT_URL, 1);
        }

        /** The catalog URL (default {@link #DEFAULT_URL}). */
        public Builder url(HttpUrl catalogUrl) {
            this.url = catalogUrl;
            return this;
        }

        /** Trusts only the Apple Root CA unless another OkHttp client is given. */
        @Override
        protected OkHttpClient defaultHttpClient() {
            return new AppleRootTrust().apply(new OkHttpClient.Builder()).connectTimeout(Duration.ofSeconds(10))
                    .readTimeout(Duration.ofSeconds(30)).callTimeout(Duration.ofSeconds(60)).build();
        }

        public SoftwareUpdateCatalogClient build() {
            return new SoftwareUpdateCatalogClient(this);
        }
    }
}
