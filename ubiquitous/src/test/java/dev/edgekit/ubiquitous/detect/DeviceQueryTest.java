package dev.edgekit.ubiquitous.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.edgekit.protocol.message.Birth;
import dev.edgekit.protocol.message.Capability;
import dev.edgekit.ubiquitous.registry.DeviceQuery;
import dev.edgekit.ubiquitous.registry.DeviceView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceQueryTest {
    private static DeviceView device(String site, String id, String name, String capability, String broker) {
        Birth birth = new Birth(id, name, site, new Birth.Board("simulated", null),
                List.of(Capability.sensor(capability, "°C")), "1.0", new Birth.Network("10.0.0.2", "eth0", broker),
                null, Instant.EPOCH, 1, List.of());
        return new DeviceView(site, id, DeviceView.Status.ONLINE, birth, Instant.EPOCH, null, null, Map.of(), 0, 0,
                null, 0, 0);
    }

    @Test
    void everyTermMustHold() {
        DeviceView pi = device("lab1", "pi-01", "Greenhouse north", "temperature", "tcp://a:1883");
        assertThat(DeviceQuery.parse("capability=temperature site=lab1").matches(pi)).isTrue();
        assertThat(DeviceQuery.parse("capability=temperature site=lab2").matches(pi)).isFalse();
        assertThat(DeviceQuery.parse("capability=humidity").matches(pi)).isFalse();
        assertThat(DeviceQuery.parse("name=Greenhouse+north").matches(pi)).isTrue();
        assertThat(DeviceQuery.parse("id=pi-* status=online").matches(pi)).isTrue();
        assertThat(DeviceQuery.parse("status=ONLINE").matches(pi)).isTrue();
        assertThat(DeviceQuery.parse("broker=tcp://a:1883 board=simulated software=1.0").matches(pi)).isTrue();
        assertThat(DeviceQuery.parse("").matches(pi)).isTrue();
        assertThat(DeviceQuery.parse("status=suspect").matches(pi, "suspect")).isTrue();
    }

    @Test
    void aBadTermIsRefusedWithItsName() {
        assertThatThrownBy(() -> DeviceQuery.parse("colour=red")).hasMessageContaining("colour");
        assertThatThrownBy(() -> DeviceQuery.parse("site")).hasMessageContaining("key=value");
    }
}
