package dev.edgekit.hardware.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedPathLoadsNoRealPluginTest {
    /** Loads everything itself (parent: the platform loader), so findLoadedClass tells what was loaded. */
    static final class IsolatedLoader extends URLClassLoader {
        IsolatedLoader(URL[] urls) {
            super("isolated", urls, ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }

    /** Runs in the isolated loader: opens and reads a simulated board with every kind of device. */
    public static final class Probe implements Runnable {
        @Override
        public void run() {
            var scheduler = new dev.edgekit.testkit.ManualScheduler();
            var spec = dev.edgekit.hardware.spec.BoardSpec.of(
                    dev.edgekit.hardware.spec.Bme280Spec.onBus1("env"),
                    new dev.edgekit.hardware.spec.Ds18b20Spec("probe", "28-0316a2795aff"),
                    dev.edgekit.hardware.spec.DigitalInputSpec.button("button", 5),
                    dev.edgekit.hardware.spec.DigitalOutputSpec.led("led", 17),
                    new dev.edgekit.hardware.spec.PwmOutputSpec("fan", 18, dev.edgekit.hardware.spec.Frequency.ofHertz(25000)));
            try (var board = Boards.openSimulated(spec, scheduler.clock(), scheduler, SimulationSettings.seeded(1))) {
                board.sensors().forEach(dev.edgekit.hardware.Sensor::read);
                board.command("led", new dev.edgekit.hardware.ActuatorCommand.SetOn(true));
                if (board.health().degraded()) {
                    throw new IllegalStateException("simulated board degraded: " + board.health());
                }
            }
        }
    }

    @Test
    void aSimulatedBoardNeverLoadsGpiodLinuxfsOrRaspberrypiClasses() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        try (IsolatedLoader loader = new IsolatedLoader(urls.toArray(URL[]::new))) {
            Class<?> probe = loader.loadClass(Probe.class.getName());
            ((Runnable) probe.getConstructor().newInstance()).run();

            assertThat(loader.loaded("dev.edgekit.hardware.board.DefaultSimulatedBoard")).as("sanity: the probe ran in the loader").isTrue();
            assertThat(loader.loaded("com.pi4j.plugin.mock.platform.MockPlatform")).isTrue();
            assertThat(loader.loaded(RealPi4j.class.getName())).isFalse();
            assertThat(loader.loaded("com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProviderImpl")).isFalse();
            assertThat(loader.loaded("com.pi4j.plugin.gpiod.GpioDPlugin")).isFalse();
            assertThat(loader.loaded("com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProviderImpl")).isFalse();
            assertThat(loader.loaded("com.pi4j.plugin.linuxfs.LinuxFsPlugin")).isFalse();
            assertThat(loader.loaded("com.pi4j.plugin.raspberrypi.platform.RaspberryPiPlatform")).isFalse();
            assertThat(loader.loaded("com.pi4j.plugin.raspberrypi.RaspberryPiPlugin")).isFalse();
        }
    }
}
