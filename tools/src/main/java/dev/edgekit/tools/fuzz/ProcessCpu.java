package dev.edgekit.tools.fuzz;

import java.lang.management.ManagementFactory;

/** This JVM's CPU time so far (all threads), for CPU per message. */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
