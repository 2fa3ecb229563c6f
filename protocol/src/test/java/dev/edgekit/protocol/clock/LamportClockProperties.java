package dev.edgekit.protocol.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Lamport merges over hostile values, biased to the edges (0, the bound, Long.MAX_VALUE): never negative, never back. */
class LamportClockProperties {
    private static final long JUMP = 1_000;

    @Provide
    Arbitrary<Long> edgy() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-2, 2 * JUMP),
                Arbitraries.longs().between(Long.MAX_VALUE - 2 * JUMP, Long.MAX_VALUE),
                Arbitraries.of(Long.MIN_VALUE, -1L, 0L, JUMP, JUMP + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<List<Long>> edgyLists() {
        return edgy().list().ofMaxSize(50);
    }

    @Property
    void noSequenceOfReceivesAndTicksMakesTheClockNegativeOrGoBack(
            @ForAll("edgy") long restoredSeed, @ForAll("edgyLists") List<Long> remotes) {
        LamportClock clock = new LamportClock(Math.max(0, restoredSeed), JUMP);
        long last = clock.current();
        for (long remote : remotes) {
            long now;
            try {
                now = clock.receive(remote);
                assertThat(now).isGreaterThanOrEqualTo(Math.min(remote, Long.MAX_VALUE));
            } catch (StampRefusedException refused) {
                assertThat(clock.current()).isEqualTo(last);
                now = clock.tick();
            }
            assertThat(now).isNotNegative().isGreaterThanOrEqualTo(last);
            last = now;
        }
    }

    @Property
    void aValueBeyondTheBoundIsAlwaysRefused(@ForAll("edgy") long local, @ForAll("edgy") long remote) {
        LamportClock clock = new LamportClock(Math.max(0, local), JUMP);
        long start = clock.current();
        if (remote > start + JUMP || remote < 0) { // start + JUMP cannot overflow past the refusal: guarded below
            if (start > Long.MAX_VALUE - JUMP) {
                return;
            }
            assertThatThrownBy(() -> clock.receive(remote)).isInstanceOf(StampRefusedException.class);
            assertThat(clock.current()).isEqualTo(start);
        } else {
            assertThat(clock.receive(remote)).isGreaterThan(Math.max(start, remote) - 1);
        }
    }
}
