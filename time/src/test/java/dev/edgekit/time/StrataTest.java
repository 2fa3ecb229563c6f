package dev.edgekit.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StrataTest {
    @Test
    void aClientServesOneStratumBelowItsSourceAndNeverBeyondFifteen() {
        assertThat(Strata.servingStratum(1)).isEqualTo(2);
        assertThat(Strata.servingStratum(14)).isEqualTo(15);
        assertThat(Strata.check("me", new ServerInfo("s", 14, 0, 0, 0, List.of("s")))).isEmpty();
        assertThat(Strata.check("me", new ServerInfo("s", 15, 0, 0, 0, List.of("s")))).contains(RejectReason.STRATUM_TOO_HIGH);
    }

    @Test
    void aSourceWhoseChainIncludesUsIsALoop() {
        assertThat(Strata.check("me", new ServerInfo("s", 3, 0, 0, 0, List.of("s", "me", "gps")))).contains(RejectReason.LOOP);
        assertThat(Strata.check("me", ServerInfo.primary("me", 0))).contains(RejectReason.LOOP);
    }

    @Test
    void anUnsynchronisedServerIsNoSource() {
        assertThat(Strata.check("me", new ServerInfo("s", 16, 0, 0, 0, List.of("s")))).contains(RejectReason.SERVER_UNSYNCHRONISED);
        assertThat(Strata.check("me", new ServerInfo("s", 0, 0, 0, 0, List.of("s")))).contains(RejectReason.SERVER_UNSYNCHRONISED);
    }
}
