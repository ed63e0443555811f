package dev.nexus.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.core.spi.Durability;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
    @TempDir
    Path dir;

    @Test
    void oneStatementPerSqlServesTransactionAfterTransactionUntilClosed() throws Exception {
        DatabaseFile file = new DatabaseFile(dir.resolve("nexus.db"));
        try (Connection connection = file.openForWrites(Durability.SYNC)) {
            StatementCache statements = new StatementCache(connection);
            Transaction.begin(statements);
            try (var create = connection.createStatement()) {
                create.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)");
            }
            Transaction.commit(statements);

            String insert = "INSERT INTO t (n) VALUES (?)";
            String select = "SELECT n FROM t ORDER BY n";
            List<PreparedStatement> seen = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                Transaction.begin(statements);
                PreparedStatement row = statements.get(insert);
                row.setInt(1, n);
                row.executeUpdate();
                // a query read only in part (its result set closed early) must not keep the commit from running
                try (ResultSet first = statements.get(select).executeQuery()) {
                    assertThat(first.next()).isTrue();
                }
                Transaction.commit(statements);
                seen.add(row);
            }

            assertThat(seen).allSatisfy(statement -> assertThat(statement).isSameAs(seen.getFirst()));
            List<Integer> stored = new ArrayList<>();
            try (ResultSet rows = statements.get(select).executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getInt(1));
                }
            }
            assertThat(stored).containsExactly(1, 2, 3);

            statements.close();
            assertThat(seen.getFirst().isClosed()).isTrue();
            assertThat(connection.isClosed()).isFalse();
        }
    }
}
