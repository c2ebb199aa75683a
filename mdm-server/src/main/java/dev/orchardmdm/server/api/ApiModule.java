package dev.orchardmdm.server.api;

import java.util.List;

/** A group of admin API routes (devices, push certificates, ...), composed by {@link AdminApi}. */
@FunctionalInterface
public interface ApiModule {

    /** This module's routes. */
    List<ApiRoute> routes();
}
