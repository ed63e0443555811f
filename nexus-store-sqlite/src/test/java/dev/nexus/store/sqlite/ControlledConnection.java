package dev.nexus.store.sqlite;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Wraps the log writer's connection so a test can hold a {@code COMMIT} back until it says so, or make the next
 * commits fail as a full or broken disk would; the commit is caught whether it runs as a plain statement or as a
 * prepared one. Everything else goes straight to the real connection.
 */
final class ControlledConnection {
    private volatile CountDownLatch gate;
    private volatile SQLiteErrorCode failure;
    private final AtomicInteger heldCommits = new AtomicInteger();

    /** Makes every later commit wait until {@link #open()} is called. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    /** Lets held and later commits through. */
    void open() {
        CountDownLatch current = gate;
        gate = null;
        if (current != null) {
            current.countDown();
        }
    }

    /** Commits waiting at the gate (or that waited there) so far. */
    int heldCommits() {
        return heldCommits.get();
    }

    /** Makes every later commit fail with {@code code}, before anything reaches the file. */
    void failCommitsWith(SQLiteErrorCode code) {
        failure = code;
    }

    Connection wrap(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                forward(connection, (method, args) -> {
                    Object result = invoke(connection, method, args);
                    if (result instanceof PreparedStatement prepared && method.getName().equals("prepareStatement")
                            && "COMMIT".equals(args[0])) {
                        // prepared once and executed for every transaction (the writer's StatementCache)
                        return gated(prepared, PreparedStatement.class, executeArgs -> executeArgs == null);
                    }
                    return result instanceof Statement statement && method.getName().equals("createStatement")
                            ? gated(statement, Statement.class, executeArgs -> executeArgs != null
                                    && "COMMIT".equals(executeArgs[0]))
                            : result;
                }));
    }

    /** {@code statement}, whose {@code execute} calls that {@code isCommit} accepts wait at the gate first. */
    private <T extends Statement> T gated(T statement, Class<T> type, Predicate<Object[]> isCommit) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                forward(statement, (method, args) -> {
                    if (method.getName().equals("execute") && isCommit.test(args)) {
                        beforeCommit();
                    }
                    return invoke(statement, method, args);
                })));
    }

    private void beforeCommit() throws SQLException {
        CountDownLatch current = gate;
        if (current != null) {
            heldCommits.incrementAndGet();
            try {
                if (!current.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a held commit was never let through");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted at the commit gate", e);
            }
        }
        SQLiteErrorCode code = failure;
        if (code != null) {
            throw new SQLiteException("[" + code.name() + "] " + code.message, code);
        }
    }

    @FunctionalInterface
    private interface Call {
        Object apply(Method method, Object[] args) throws Throwable;
    }

    private static InvocationHandler forward(Object target, Call call) {
        return (proxy, method, args) -> {
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                return method.invoke(target, args);
            }
            return call.apply(method, args);
        };
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
