package dev.openwif.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test run twice: against a fresh SQLite file and against a fresh schema of the local PostgreSQL.
 * The method takes a {@link StoreFixture} (or the {@link JdbcFederationStore} directly).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(BothStores.class)
public @interface StoreTest {}
