package dev.nexus.core.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the contract tests move by hand; thread-safe. Starts at a whole millisecond, as wire timestamps are. */
public final class ContractClock extends Clock {
    private volatile Instant now;

    public ContractClock(Instant start) {
        this.now = start;
    }

    public ContractClock() {
        this(Instant.parse("2025-11-17T07:00:00Z"));
    }

    public synchronized void advance(Duration step) {
        now = now.plus(step);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
