package dev.edgekit.agent.outbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A real outbox file for the tests of the parts below the writer thread: the connection as the outbox opens it, its
 * statements, and the raw SQL a test uses to fail the disk or read what was written.
 */
final class OutboxFile implements AutoCloseable {
    final Connection db;
    final OutboxStatements sql;

    private OutboxFile(Connection db) throws SQLException {
        this.db = db;
        this.sql = new OutboxStatements(db);
    }

    static OutboxFile open(OutboxConfig config) throws SQLException {
        return new OutboxFile(OutboxSchema.connect(config.file(), config));
    }

    void execute(String statement) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(statement);
        }
    }

    /** Each row of {@code query}, its {@code columns} first columns as longs. */
    List<List<Long>> longs(String query, int columns) throws SQLException {
        List<List<Long>> rows = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                List<Long> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getLong(i));
                }
                rows.add(List.copyOf(row));
            }
        }
        return rows;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
