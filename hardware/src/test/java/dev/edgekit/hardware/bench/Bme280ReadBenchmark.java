package dev.edgekit.hardware.bench;

import dev.edgekit.hardware.Reading;
import dev.edgekit.hardware.Sensor;
import dev.edgekit.hardware.board.Boards;
import dev.edgekit.hardware.board.SimulatedBoard;
import dev.edgekit.hardware.board.SimulationSettings;
import dev.edgekit.hardware.driver.Bme280Calibration;
import dev.edgekit.hardware.driver.Bme280Compensation;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.testkit.ManualScheduler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one BME280 sample on a simulated board: the board's sensor wrapper, the driver's forced-mode trigger,
 * status poll and 8-byte burst read through Pi4J's I2C API into the register-map chip model (which samples its signals
 * and inverts the compensation to fill its data registers), then the datasheet's integer compensation. The second
 * benchmark is the compensation alone. Run: see hardware/README.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Bme280ReadBenchmark {
    private ManualScheduler scheduler;
    private SimulatedBoard board;
    private Sensor sensor;
    private final Bme280Calibration calibration = Bme280Calibration.typical();
    private int adc;

    @Setup(Level.Trial)
    public void open() {
        scheduler = new ManualScheduler();
        board = Boards.openSimulated(BoardSpec.of(Bme280Spec.onBus1("env")), scheduler.clock(), scheduler,
                SimulationSettings.seeded(1));
        sensor = board.sensor("env").orElseThrow();
    }

    @TearDown(Level.Trial)
    public void close() {
        board.close();
    }

    @Benchmark
    public List<Reading> readAndCompensateOnSimulatedChip() {
        return sensor.read();
    }

    @Benchmark
    public Bme280Compensation.Measurement compensateOnly() {
        adc = (adc + 1) & 0xFFF;
        return Bme280Compensation.compensate(calibration, 519888 + adc, 415148 - adc, 30000 + adc);
    }
}
