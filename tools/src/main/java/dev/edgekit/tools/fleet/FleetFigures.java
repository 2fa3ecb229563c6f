package dev.edgekit.tools.fleet;

/**
 * The figures of one {@code bench fleet} run.
 *
 * @param devices      agents simulated
 * @param startSeconds from the simulator's start to the last device's first birth seen by the outside subscriber
 * @param peakRssMb    the simulator process's peak resident memory
 * @param peakThreads  its peak thread count
 * @param cpuPercent   its CPU time over wall time while running (200 % = both cores of a 2-core machine)
 * @param cpuMicrosPerMessage CPU time per delivered telemetry/event entry
 * @param load1        the 1-minute load average at the end (a shared machine is noisy: read the figures with it)
 * @param delivery     what the outside subscriber saw
 * @param syncP50Micros fleet-wide |device clock − reference| median at the end, from the simulator
 * @param syncP99Micros the same, 99th percentile
 * @param synced       devices whose clock said it was synchronised at the end
 */
public record FleetFigures(int devices, String broker, double startSeconds, long peakRssMb, int peakThreads,
        double cpuPercent, double cpuMicrosPerMessage, double load1, Delivery delivery, double syncP50Micros,
        double syncP99Micros, int synced) {

    /**
     * @param born          devices whose birth was seen
     * @param unique        telemetry and event entries seen (after de-duplication)
     * @param duplicates    entries seen more than once
     * @param gaps          sequence numbers never seen, between the lowest and highest of their device
     * @param inFlight      holes that closed just before the stop (still on their way, not counted as lost)
     * @param deliveredPct  unique / (unique + gaps)
     * @param suspicions    heartbeat silences longer than three intervals while devices ran
     * @param falseOffline  offline states seen before the stop
     * @param lagP50Seconds sampling lag behind the schedule, median (from the payloads' own times)
     * @param lagP99Seconds the same, 99th percentile
     * @param lagMaxSeconds the same, worst
     * @param lagP99UpSeconds the 99th percentile of the samples taken once every device was born (the steady state)
     * @param malformed     lines or payloads the tally could not read
     */
    public record Delivery(int expected, int born, long unique, long duplicates, long gaps, long inFlight,
            double deliveredPct, long suspicions, long falseOffline, double lagP50Seconds, double lagP99Seconds,
            double lagMaxSeconds, double lagP99UpSeconds, long malformed) {
    }
}
