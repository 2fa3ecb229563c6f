package dev.edgekit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {
    @Test
    void keepsTheNewestEntriesGloballyAndPerDevice() {
        Timeline t = new Timeline(5, 2, 10);
        for (int i = 0; i < 8; i++) {
            t.add(i, "s", i % 2 == 0 ? "a" : "b", "event", "e" + i, "info", Map.of(), null);
        }
        assertThat(t.after(0, 100)).extracting(Timeline.Entry::name).containsExactly("e3", "e4", "e5", "e6", "e7");
        assertThat(t.device("s", "a")).extracting(Timeline.Entry::name).containsExactly("e4", "e6");
        assertThat(t.after(t.lastSeq() - 1, 100)).extracting(Timeline.Entry::name).containsExactly("e7");
    }

    @Test
    void boundsWhatADeviceMayPutInAnEntry() {
        Timeline t = new Timeline(5, 2, 10);
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("k" + i, "x".repeat(10_000));
        }
        Timeline.Entry e = t.add(0, "s", "a", "event", "big", "info", many, null);
        assertThat(e.attributes()).hasSize(16);
        assertThat(e.attributes().values()).allMatch(v -> v.length() <= 257);
    }

    @Test
    void remembersOnlySoManyDevicesSeparately() {
        Timeline t = new Timeline(100, 10, 2);
        t.add(0, "s", "a", "event", "x", "info", Map.of(), null);
        t.add(0, "s", "b", "event", "x", "info", Map.of(), null);
        t.add(0, "s", "c", "event", "x", "info", Map.of(), null);
        assertThat(t.device("s", "c")).isEmpty();
        assertThat(t.after(0, 100)).hasSize(3);
    }
}
