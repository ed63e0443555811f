package dev.nexus.bench.target;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * CPU used over a measured interval by the load generator (this process, from {@link OperatingSystemMXBean}) and,
 * when the bench started it, by the server: {@link #start} at the beginning of the interval, {@link #stop} at its end.
 */
public final class CpuMeter {
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final NexusTarget target;
    private long wallStart;
    private long benchStart;
    private long serverStart;
    private Usage usage;

    /** @param target the server whose CPU to read too, or null for the load generator alone (a peer system) */
    public CpuMeter(NexusTarget target) {
        this.target = target;
    }

    /** CPU as a percentage of one core over the interval; {@code serverPercent} is null when unknown. */
    public record Usage(double benchPercent, Double serverPercent, double seconds) {
    }

    public void start() {
        wallStart = System.nanoTime();
        benchStart = OS.getProcessCpuTime();
        serverStart = serverCpu();
    }

    public Usage stop() {
        double wall = System.nanoTime() - wallStart;
        double bench = OS.getProcessCpuTime() - benchStart;
        Double server = target != null && target.process().isPresent() ? 100 * (serverCpu() - serverStart) / wall : null;
        usage = new Usage(100 * bench / wall, server, wall / 1e9);
        return usage;
    }

    private long serverCpu() {
        return target == null ? 0 : target.process().map(ServerProcess::cpuNanos).orElse(0L);
    }
}
