package dev.edgekit.ubiquitous.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerChoiceTest {
    @Test
    void brokersOfTheOwnSiteComeFirstThenSitelessOnesAndNeverOtherSites() {
        List<Found> found = List.of(
                new Found(ServiceKind.MQTT, "any", "10.0.0.9", 1883, Map.of()),
                new Found(ServiceKind.MQTT, "lab2-main", "10.0.0.8", 1883, Map.of("site", "lab2")),
                new Found(ServiceKind.MQTT, "lab1-b", "10.0.0.2", 1883, Map.of("site", "lab1", "priority", "50")),
                new Found(ServiceKind.MQTT, "lab1-a", "fe80::1", 8883, Map.of("site", "lab1", "scheme", "ssl")),
                new Found(ServiceKind.TIME, "time", "10.0.0.3", 123, Map.of("site", "lab1")));
        assertThat(BrokerChoice.order(found, "lab1"))
                .containsExactly("tcp://10.0.0.2:1883", "ssl://[fe80::1]:8883", "tcp://10.0.0.9:1883");
    }
}
