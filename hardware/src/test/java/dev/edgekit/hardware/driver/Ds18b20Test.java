package dev.edgekit.hardware.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.hardware.SensorException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ds18b20Test {
    private static final String ID = "28-0316a2795aff";
    @TempDir
    Path w1;

    @Test
    void readsTheTemperatureFromAFileWhoseCrcCheckSaysYes() throws Exception {
        write("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");

        var readings = Ds18b20.open("probe", ID, w1).read();

        assertThat(readings).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo(23.125);
            assertThat(r.channelName()).isEqualTo("probe-temperature");
        });
    }

    @Test
    void readsNegativeTemperatures() throws Exception {
        write("5e ff 4b 46 7f ff 02 10 c2 : crc=c2 YES\n5e ff 4b 46 7f ff 02 10 c2 t=-10125\n");

        assertThat(Ds18b20.open("probe", ID, w1).read().getFirst().value()).isEqualTo(-10.125);
    }

    @Test
    void rejectsAReadingWhoseCrcCheckFailed() throws Exception {
        write("72 01 4b 46 7f ff 0e 10 57 : crc=12 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");

        assertThatThrownBy(() -> Ds18b20.open("probe", ID, w1).read())
                .isInstanceOf(SensorException.class).hasMessageContaining("probe").hasMessageContaining("CRC check failed");
    }

    @Test
    void rejectsThe85DegreePowerOnValue() throws Exception {
        write("50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n");

        assertThatThrownBy(() -> Ds18b20.open("probe", ID, w1).read())
                .isInstanceOf(SensorException.class).hasMessageContaining("85 °C, the power-on value");
    }

    @Test
    void rejectsATruncatedFile() throws Exception {
        write("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n");

        assertThatThrownBy(() -> Ds18b20.open("probe", ID, w1).read()).hasMessageContaining("expected 2");
    }

    @Test
    void aMissingW1SlaveFileIsAClearErrorNamingTheFile() throws Exception {
        Files.createDirectories(w1.resolve(ID));
        Ds18b20 sensor = Ds18b20.open("probe", ID, w1);

        assertThatThrownBy(sensor::read)
                .isInstanceOf(SensorException.class)
                .hasMessageContaining("probe")
                .hasMessageContaining(w1.resolve(ID).resolve("w1_slave").toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void openingASensorThatIsNotOnTheBusSaysHowToCheck() {
        assertThatThrownBy(() -> Ds18b20.open("probe", ID, w1))
                .hasMessageContaining("probe: no 1-Wire sensor " + ID).hasMessageContaining("pull-up");
    }

    @Test
    void openingWithoutA1WireDirectorySaysHowToEnable1Wire() {
        assertThatThrownBy(() -> Ds18b20.open("probe", ID, w1.resolve("nope")))
                .hasMessageContaining("dtoverlay=w1-gpio");
    }

    private void write(String content) throws Exception {
        Files.createDirectories(w1.resolve(ID));
        Files.writeString(w1.resolve(ID).resolve("w1_slave"), content);
    }
}
