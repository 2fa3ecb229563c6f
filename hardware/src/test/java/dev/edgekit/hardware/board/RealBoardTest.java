package dev.edgekit.hardware.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.hardware.HardwareUnavailableException;
import dev.edgekit.hardware.spec.Bme280Spec;
import dev.edgekit.hardware.spec.BoardSpec;
import dev.edgekit.testkit.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RealBoardTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    @TempDir
    Path root;

    @Test
    void openingARealBoardWhereThereIsNoPiFailsAndSaysHowToChooseSimulatedHardware() {
        assertThatThrownBy(() -> Boards.openReal(BoardSpec.of(Bme280Spec.onBus1("env")), scheduler.clock(), scheduler,
                new HostProbe(root)))
                .isInstanceOf(HardwareUnavailableException.class)
                .hasMessageContaining("No Raspberry Pi found")
                .hasMessageContaining("'board: simulated' in agent.yaml")
                .hasMessageContaining("--simulated");
    }

    @Test
    void anotherBoardsDeviceTreeModelIsNamedInTheMessage() throws Exception {
        write("proc/device-tree/model", "Pine64 RockPro64\0");

        assertThatThrownBy(() -> Boards.openReal(BoardSpec.empty(), scheduler.clock(), scheduler, new HostProbe(root)))
                .hasMessageContaining("the device tree says this is 'Pine64 RockPro64'");
    }

    @Test
    void aPiWithoutAGpioCharacterDeviceIsRefusedToo() throws Exception {
        write("proc/device-tree/model", "Raspberry Pi 4 Model B Rev 1.4\0");

        assertThatThrownBy(() -> Boards.openReal(BoardSpec.empty(), scheduler.clock(), scheduler, new HostProbe(root)))
                .isInstanceOf(HardwareUnavailableException.class)
                .hasMessageContaining("gpiochip0")
                .hasMessageContaining("--simulated");
    }

    @Test
    void thisBuildMachineIsNotTakenForAPi() {
        // the real probe on this (non-Pi) machine: never a silent fallback to simulated hardware
        assertThatThrownBy(() -> Boards.openReal(BoardSpec.empty(), scheduler.clock(), scheduler))
                .isInstanceOf(HardwareUnavailableException.class);
    }

    @Test
    void theSerialNumberComesFromTheDeviceTreeOrCpuinfoAndBecomesTheDeviceId() throws Exception {
        write("proc/cpuinfo", "processor\t: 0\nHardware\t: BCM2835\nSerial\t\t: 10000000ABCDEF12\nModel\t\t: Raspberry Pi 4\n");
        HostProbe probe = new HostProbe(root);

        assertThat(probe.serial()).contains("10000000ABCDEF12");
        assertThat(Boards.defaultDeviceId(probe.serial(), Optional.empty())).isEqualTo("10000000abcdef12");

        write("sys/firmware/devicetree/base/serial-number", "00000000cafe0001\0");
        assertThat(probe.serial()).contains("00000000cafe0001");
    }

    @Test
    void withoutAUsableSerialTheDeviceIdFallsBackToTheHostNameThenAFixedId() throws Exception {
        write("proc/cpuinfo", "Serial\t\t: 0000000000000000\n");
        write("etc/hostname", "Green_House.Pi\n");
        HostProbe probe = new HostProbe(root);

        assertThat(probe.serial()).isEmpty();
        assertThat(Boards.defaultDeviceId(probe.serial(), probe.hostname())).isEqualTo("green-house-pi");
        assertThat(Boards.defaultDeviceId(Optional.empty(), Optional.of("___"))).isEqualTo(Boards.FALLBACK_DEVICE_ID);
    }

    private void write(String relative, String content) throws Exception {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
