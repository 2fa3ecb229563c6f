package dev.edgekit.hardware.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import dev.edgekit.hardware.driver.Bme280Calibration;
import dev.edgekit.hardware.signal.Signals;
import dev.edgekit.testkit.FakeClock;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegisterMapI2CTest {
    private final RegisterMapI2CProvider provider = new RegisterMapI2CProvider(Set.of(1));
    private final Bme280ChipModel chip = new Bme280ChipModel(1, 0x76, 0x60, Bme280Calibration.typical(),
            FakeClock.atEpochOf2026(), Signals.constant(20), Signals.constant(50), Signals.constant(1000));
    private final Context context;

    RegisterMapI2CTest() {
        provider.place(1, 0x76, chip);
        context = Pi4J.newContextBuilder().noAutoDetect().disableShutdownHook().add(new MockPlatform()).add(provider).build();
    }

    @AfterEach
    void close() {
        context.shutdown();
    }

    private I2C open(int bus, int address) {
        return context.create(I2C.newConfigBuilder(context).id("dev" + bus + address).bus(bus).device(address)
                .provider(MockI2CProvider.ID).build());
    }

    @Test
    void readsAreUnsignedAndDoNotConsumeTheRegister() {
        I2C i2c = open(1, 0x76);
        // dig_T1 = 27504 = 0x6B70: 0x88 holds 0x70, 0x89 holds 0x6B; dig_P1 LSB at 0x8E is 0x7D, MSB 0x8E
        assertThat(i2c.readRegister(0x8F)).isEqualTo(0x8E);
        assertThat(i2c.readRegister(0x8F)).isEqualTo(0x8E);
        assertThat(i2c.readRegister(0xD0)).isEqualTo(0x60);
    }

    @Test
    void burstReadsStepThroughConsecutiveRegisters() {
        I2C i2c = open(1, 0x76);
        byte[] buffer = new byte[4];

        i2c.readRegister(0x88, buffer, 0, 4);

        assertThat(buffer).containsExactly(0x70, 0x6B, (byte) 0x43, (byte) 0x67); // dig_T1, dig_T2 = 26435 = 0x6743
    }

    @Test
    void writesReachTheChipAndAreRecordedButReadOnlyRegistersKeepTheirValue() {
        I2C i2c = open(1, 0x76);

        i2c.writeRegister(0xF2, (byte) 0x01);
        i2c.writeRegister(0xD0, (byte) 0x99);

        assertThat(i2c.readRegister(0xF2)).isEqualTo(0x01);
        assertThat(i2c.readRegister(0xD0)).isEqualTo(0x60);
        assertThat(chip.writes()).containsExactly(new RegisterWrite(0xF2, 0x01), new RegisterWrite(0xD0, 0x99));
    }

    @Test
    void theChipKeepsOnlyItsMostRecentWrites() {
        I2C i2c = open(1, 0x76);
        for (int i = 0; i < Bme280ChipModel.WRITES_KEPT + 10; i++) {
            i2c.writeRegister(0xF4, (byte) i);
        }
        assertThat(chip.writes()).hasSize(Bme280ChipModel.WRITES_KEPT)
                .startsWith(new RegisterWrite(0xF4, 10))
                .endsWith(new RegisterWrite(0xF4, (Bme280ChipModel.WRITES_KEPT + 9) & 0xFF));
    }

    @Test
    void rawTransfersUseTheFirstWrittenByteAsRegisterPointer() {
        I2C i2c = open(1, 0x76);

        i2c.write(new byte[]{(byte) 0xD0}, 0, 1);

        assertThat(i2c.read()).isEqualTo(0x60);
    }

    @Test
    void anAddressWithNoChipNacksEveryTransfer() {
        I2C i2c = open(1, 0x77);

        assertThatThrownBy(() -> i2c.readRegister(0xD0)).hasMessageContaining("NACK");
    }

    @Test
    void aBusTheBoardDoesNotHaveCannotBeOpened() {
        assertThatThrownBy(() -> open(4, 0x76)).hasMessageContaining("I2C bus 4 does not exist");
    }

    @Test
    void aForcedModeWriteStoresAMeasurementAndReturnsToSleep() {
        I2C i2c = open(1, 0x76);
        assertThat(i2c.readRegister(0xFA)).isEqualTo(0x80); // reset value: no measurement yet

        i2c.writeRegister(0xF2, (byte) 0x01);
        i2c.writeRegister(0xF4, (byte) 0x25);

        assertThat(i2c.readRegister(0xFA)).isNotEqualTo(0x80);
        assertThat(i2c.readRegister(0xF4) & 0b11).isZero();
    }

    @Test
    void aChannelWithOversamplingOffReadsAsSkipped() {
        I2C i2c = open(1, 0x76);

        i2c.writeRegister(0xF2, (byte) 0x00);
        i2c.writeRegister(0xF4, (byte) 0x25);

        assertThat(i2c.readRegister(0xFD)).isEqualTo(0x80);
        assertThat(i2c.readRegister(0xFE)).isEqualTo(0x00);
    }
}
