package dev.edgekit.tools;

import dev.edgekit.agent.config.HardwareConfig;
import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.Fault;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.hardware.spec.DigitalInputSpec;
import dev.edgekit.hardware.spec.DigitalOutputSpec;
import dev.edgekit.hardware.spec.Ds18b20Spec;
import dev.edgekit.hardware.spec.Frequency;
import dev.edgekit.hardware.spec.PwmOutputSpec;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hardware of every simulated device in {@code edgekit simulate}: a BME280 ({@code env}), a DS18B20 probe
 * ({@code probe}), a button ({@code door}), an LED ({@code status}) and a PWM fan ({@code fan}), with seeded signals;
 * people pressing the buttons now and then; and, with {@code --faults F}, a fraction F of the devices (chosen by the
 * seed) suffering one fault episode at a random moment within the fault window: an I2C NACK of the BME280, a CRC
 * error of the probe (both raise sensor-fault events and make the device degraded until the fault clears, 30-120 s
 * later), or a stuck BME280 (silent: the values stop changing, which no check on the device can see).
 */
final class SimulatedHardware implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimulatedHardware.class);
    /** Mean time between button presses on one device. */
    private static final Duration MEAN_PRESS_INTERVAL = Duration.ofMinutes(2);

    private final ScheduledExecutorService scheduler;
    private final double faultFraction;
    private final Duration faultWindow;
    private volatile boolean closed;
    private final AtomicLong faultsInjected = new AtomicLong();
    private final AtomicLong presses = new AtomicLong();

    SimulatedHardware(ScheduledExecutorService scheduler, double faultFraction, Duration faultWindow) {
        if (!(faultFraction >= 0 && faultFraction <= 1)) {
            throw new IllegalArgumentException("--faults must be a fraction between 0 and 1, not " + faultFraction);
        }
        this.scheduler = scheduler;
        this.faultFraction = faultFraction;
        this.faultWindow = faultWindow;
    }

    static HardwareConfig config(Duration sampling, String probeId) {
        return HardwareConfig.of(BoardSpec.of(
                Bme280Spec.onBus1("env"),
                new Ds18b20Spec("probe", probeId),
                DigitalInputSpec.button("door", 17),
                DigitalOutputSpec.led("status", 22),
                new PwmOutputSpec("fan", 18, Frequency.ofKilohertz(25)))).withInterval(sampling);
    }

    /** A DS18B20 id of this device's own, from its number. */
    static String probeId(int device) {
        return String.format(Locale.ROOT, "28-%012x", 0x0316a0000000L + device);
    }

    /** Opens device {@code id}'s board and schedules what happens to it; {@code random} is the device's own stream. */
    SimulatedBoard open(String id, HardwareConfig config, InstantSource clock, SplittableRandom random) {
        SimulatedBoard board = Boards.openSimulated(config.board(), clock, scheduler,
                SimulationSettings.seeded(random.nextLong()).withSerial(id));
        schedulePresses(board, random.split());
        if (random.nextDouble() < faultFraction) {
            scheduleFault(id, board, random.split());
        }
        return board;
    }

    private void schedulePresses(SimulatedBoard board, SplittableRandom random) {
        long meanMillis = MEAN_PRESS_INTERVAL.toMillis();
        long first = (long) (-Math.log(1 - random.nextDouble()) * meanMillis);
        scheduler.schedule(new Runnable() {
            @Override
            public void run() {
                if (closed) {
                    return;
                }
                try {
                    board.input("door").setActive(true);
                    presses.incrementAndGet();
                    scheduler.schedule(() -> release(board), 150 + random.nextInt(500), TimeUnit.MILLISECONDS);
                    long next = (long) (-Math.log(1 - random.nextDouble()) * meanMillis);
                    scheduler.schedule(this, Math.max(next, 1000), TimeUnit.MILLISECONDS);
                } catch (RuntimeException e) {
                    log.debug("button press: {}", e.toString()); // the board is closing
                }
            }
        }, first, TimeUnit.MILLISECONDS);
    }

    private static void release(SimulatedBoard board) {
        try {
            board.input("door").setActive(false);
        } catch (RuntimeException e) {
            log.debug("button release: {}", e.toString());
        }
    }

    private void scheduleFault(String id, SimulatedBoard board, SplittableRandom random) {
        long at = (long) (random.nextDouble() * faultWindow.toMillis());
        long lasts = 30_000 + random.nextLong(90_000);
        int kind = random.nextInt(3);
        scheduler.schedule(() -> {
            try {
                switch (kind) {
                    case 0 -> board.bme280("env").injectFault(new Fault.I2cNack());
                    case 1 -> board.ds18b20("probe").injectFault(new Fault.CrcError());
                    default -> board.bme280("env").injectFault(new Fault.StuckValue());
                }
                faultsInjected.incrementAndGet();
                log.info("{}: injected {} for {} s", id, kind == 0 ? "I2C NACK on env" : kind == 1
                        ? "CRC error on probe" : "stuck value on env", lasts / 1000);
                scheduler.schedule(() -> {
                    try {
                        board.bme280("env").clearFaults();
                        board.ds18b20("probe").clearFaults();
                    } catch (RuntimeException e) {
                        log.debug("clearing faults: {}", e.toString());
                    }
                }, lasts, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                log.debug("fault injection: {}", e.toString());
            }
        }, at, TimeUnit.MILLISECONDS);
    }

    long faultsInjected() {
        return faultsInjected.get();
    }

    long presses() {
        return presses.get();
    }

    @Override
    public void close() {
        closed = true; // pending presses and faults do nothing; the simulator's scheduler is shut down after
    }
}
