package dev.edgekit.hardware.board;

import dev.edgekit.hardware.Channel;
import dev.edgekit.hardware.DeviceStatus;
import dev.edgekit.hardware.HardwareEvent;
import dev.edgekit.hardware.Reading;
import dev.edgekit.hardware.Sensor;
import dev.edgekit.hardware.SensorException;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sensor as the board hands it out: reads are serialised, a failure streak raises one sensor-fault event and marks
 * the device failing, the next good read raises sensor-recovered. A simulated board adds a hook that runs before each
 * read (the DS18B20 model's conversion).
 */
final class MonitoredSensor implements Sensor {
    private static final Logger log = LoggerFactory.getLogger(MonitoredSensor.class);
    private final Sensor delegate;
    private final Runnable beforeRead;
    private final InstantSource clock;
    private final Consumer<HardwareEvent> events;
    private DeviceStatus status = new DeviceStatus.Working();

    MonitoredSensor(Sensor delegate, Runnable beforeRead, InstantSource clock, Consumer<HardwareEvent> events) {
        this.delegate = delegate;
        this.beforeRead = beforeRead;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public List<Channel> channels() {
        return delegate.channels();
    }

    @Override
    public List<Reading> read() {
        HardwareEvent event = null;
        try {
            synchronized (this) {
                try {
                    beforeRead.run();
                    List<Reading> readings = delegate.read();
                    if (status instanceof DeviceStatus.Failing) {
                        status = new DeviceStatus.Working();
                        event = new HardwareEvent.SensorRecovered(name(), clock.instant());
                        log.info("{}: sensor recovered", name());
                    }
                    return readings;
                } catch (RuntimeException e) {
                    SensorException failure = e instanceof SensorException se ? se
                            : new SensorException(name(), "unexpected failure: " + e, e);
                    if (!(status instanceof DeviceStatus.Failing)) {
                        status = new DeviceStatus.Failing(failure.getMessage(), clock.instant());
                        event = new HardwareEvent.SensorFault(name(), clock.instant(), failure.getMessage());
                        log.warn("{}", failure.getMessage());
                    }
                    throw failure;
                }
            }
        } finally {
            if (event != null) {
                events.accept(event);
            }
        }
    }

    synchronized DeviceStatus status() {
        return status;
    }

    @Override
    public String toString() {
        return "Sensor[" + name() + ", " + kind() + "]";
    }
}
