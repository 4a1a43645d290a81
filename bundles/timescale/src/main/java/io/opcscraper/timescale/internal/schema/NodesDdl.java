package io.opcscraper.timescale.internal.schema;

import static io.opcscraper.timescale.internal.schema.TableNames.NODES_TABLE;
import static io.opcscraper.timescale.internal.schema.TableNames.quote;
import static io.opcscraper.timescale.internal.schema.TableNames.regclass;

import java.util.List;

/**
 * The DDL of the shared {@code nodes} table (the pollers' catalogs, see {@code docs/schema.md}),
 * the same on every edition. One row per variable ({@code field} empty) and one per leaf of a
 * structured value ({@code field} = its path, {@code .Status.Current}): the key is
 * (clientid, nodeid, field).
 *
 * <p>A database provisioned before structured values has the table without {@code field} and with
 * the key (clientid, nodeid): the second statement adds the column (its rows become variables'
 * rows) and moves the key, once; afterwards it only looks in the catalog and takes no lock.
 */
final class NodesDdl {

    private NodesDdl() {
    }

    static List<String> statements() {
        String nodes = quote(NODES_TABLE);
        String create = "CREATE TABLE IF NOT EXISTS " + nodes + " (\n"
                + "    nodeid text NOT NULL,\n"
                + "    clientid text NOT NULL,\n"
                + "    browse_path text,\n"
                + "    sensorname text,\n"
                + "    tagname text,\n"
                + "    data_type text,\n"
                + "    engineering_unit text,\n"
                + "    first_seen timestamptz NOT NULL,\n"
                + "    last_seen timestamptz NOT NULL,\n"
                + "    field text NOT NULL DEFAULT '',\n"
                + "    PRIMARY KEY (clientid, nodeid, field)\n"
                + ")";
        String upgrade = "DO $$\n"
                + "DECLARE\n"
                + "    pk name;\n"
                + "BEGIN\n"
                + "    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = " + regclass(NODES_TABLE)
                + "::regclass\n"
                + "            AND attname = 'field' AND NOT attisdropped) THEN\n"
                + "        ALTER TABLE " + nodes + " ADD COLUMN field text NOT NULL DEFAULT '';\n"
                + "    END IF;\n"
                + "    IF NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid\n"
                + "            AND a.attnum = ANY (i.indkey)\n"
                + "            WHERE i.indrelid = " + regclass(NODES_TABLE) + "::regclass AND i.indisprimary"
                + " AND a.attname = 'field') THEN\n"
                + "        SELECT conname INTO pk FROM pg_constraint WHERE conrelid = " + regclass(NODES_TABLE)
                + "::regclass AND contype = 'p';\n"
                + "        IF pk IS NOT NULL THEN\n"
                + "            EXECUTE format('ALTER TABLE " + nodes + " DROP CONSTRAINT %I', pk);\n"
                + "        END IF;\n"
                + "        ALTER TABLE " + nodes + " ADD PRIMARY KEY (clientid, nodeid, field);\n"
                + "    END IF;\n"
                + "END $$";
        return List.of(create, upgrade);
    }
}
