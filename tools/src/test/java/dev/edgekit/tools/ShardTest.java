package dev.edgekit.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ShardTest {
    @Test
    void theShardsOfAFleetCoverEveryDeviceExactlyOnce() {
        for (int devices : new int[] {1, 7, 1000, 1001}) {
            for (int count = 1; count <= Math.min(devices, 6); count++) {
                Set<Integer> seen = new HashSet<>();
                for (int k = 1; k <= count; k++) {
                    Shard shard = new Shard(k, count);
                    for (int i = shard.from(devices); i < shard.to(devices); i++) {
                        assertThat(seen.add(i)).as("device %d in two shards", i).isTrue();
                    }
                }
                assertThat(seen).hasSize(devices);
            }
        }
    }

    @Test
    void onlyAShardedRunChangesTheNamesOfItsObserverAndTimeServer() {
        assertThat(Shard.WHOLE.suffix()).isEmpty();
        assertThat(new Shard(2, 4).suffix()).isEqualTo("-s2");
    }

    @Test
    void aShardFlagThatIsNotKOfNIsRefusedWithTheFlagNamed() {
        Shard.Converter converter = new Shard.Converter();
        assertThat(converter.convert("2/4")).isEqualTo(new Shard(2, 4));
        for (String bad : new String[] {"0/4", "5/4", "2", "a/b", "2/4/1", "-1/4", "1/0"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("--shard");
        }
    }
}
