package dev.edgekit.hardware.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.hardware.BoardInfo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpecTest {
    @Test
    void aDuplicateEntryNameIsRejectedByName() {
        assertThatThrownBy(() -> BoardSpec.of(Bme280Spec.onBus1("env"), DigitalOutputSpec.led("env", 17)))
                .hasMessage("hardware entry 'env' is configured twice");
    }

    @Test
    void entryNamesMustBeUsableInChannelNamesAndTopics() {
        assertThatThrownBy(() -> Bme280Spec.onBus1("Env Sensor")).hasMessageStartingWith("bme280 entry 'Env Sensor': a name is");
        assertThat(DeviceSpec.NAME.matcher("greenhouse-2").matches()).isTrue();
    }

    @Test
    void aBme280AddressOtherThan0x76Or0x77IsRejectedWithTheEntryName() {
        assertThatThrownBy(() -> new Bme280Spec("env", 1, 0x40)).hasMessage("bme280 entry 'env': address must be 0x76 or 0x77, was 0x40");
    }

    @Test
    void aDs18b20IdMustBeAFamily28RomId() {
        assertThatThrownBy(() -> new Ds18b20Spec("probe", "10-0316a2795aff")).hasMessageContaining("ds18b20 entry 'probe'");
        assertThat(new Ds18b20Spec("probe", "28-0316a2795aff").w1Directory()).isEqualTo(Ds18b20Spec.DEFAULT_W1_DIRECTORY);
    }

    @Test
    void debounceIsADurationBetweenZeroAndTenSeconds() {
        assertThatThrownBy(() -> new DigitalInputSpec("b", InputKind.BUTTON, 5, Pull.UP, ActiveLevel.LOW, Duration.ofMillis(-1)))
                .hasMessageContaining("button entry 'b': debounce");
        assertThat(DigitalInputSpec.button("b", 5).debounce()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aFrequencyIsPositive() {
        assertThatThrownBy(() -> Frequency.ofHertz(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Frequency.ofKilohertz(25).hertz()).isEqualTo(25_000);
    }

    @Test
    void deviceIdsAreDerivedFromFreeTextOrNotAtAll() {
        assertThat(BoardInfo.deviceIdFrom("10000000ABCDEF12")).contains("10000000abcdef12");
        assertThat(BoardInfo.deviceIdFrom("--Kitchen Pi--")).contains("kitchen-pi");
        assertThat(BoardInfo.deviceIdFrom("x".repeat(80)).orElseThrow()).hasSize(63);
        assertThat(BoardInfo.deviceIdFrom("___")).isEmpty();
        assertThatThrownBy(() -> new BoardInfo("m", java.util.Optional.empty(), "-bad", false)).isInstanceOf(IllegalArgumentException.class);
    }
}
