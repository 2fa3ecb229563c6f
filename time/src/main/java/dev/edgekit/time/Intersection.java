package dev.edgekit.time;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Marzullo's intersection as refined in RFC 5905 §11.2.1 (clock select): find the smallest number
 * of falsetickers f (2f < n) such that some interval [low, high] is covered by at least n − f
 * correctness intervals [θ − λ, θ + λ] and at most f midpoints lie outside it. Survivors are the
 * candidates whose midpoint lies in [low, high]; they are combined weighted by 1/λ (RFC 5905
 * §11.2.3). With half or more of the candidates wrong, no majority exists and selection refuses.
 */
final class Intersection {
    private Intersection() {}

    /** A server's current estimate: offset θ (server − device, projected to now) and root distance λ. */
    record Candidate(String serverId, long offsetNanos, long rootDistanceNanos) {
        Candidate {
            if (rootDistanceNanos < 0) throw new IllegalArgumentException("negative root distance");
        }
    }

    private record Edge(long value, int type) {} // type −1 lower edge, 0 midpoint, +1 upper edge

    static Selection select(List<Candidate> candidates) {
        int n = candidates.size();
        if (n == 0) return new Selection.Refused(Selection.Reason.NO_CANDIDATES, 0);
        Edge[] edges = new Edge[3 * n];
        int k = 0;
        for (Candidate c : candidates) {
            edges[k++] = new Edge(c.offsetNanos() - c.rootDistanceNanos(), -1);
            edges[k++] = new Edge(c.offsetNanos(), 0);
            edges[k++] = new Edge(c.offsetNanos() + c.rootDistanceNanos(), +1);
        }
        Arrays.sort(edges, Comparator.comparingLong(Edge::value).thenComparingInt(Edge::type));
        long low = 0, high = 0;
        int allow;
        boolean found = false;
        for (allow = 0; 2 * allow < n; allow++) {
            int midpointsOutside = 0;
            int chime = 0;
            boolean haveLow = false, haveHigh = false;
            for (Edge e : edges) {
                chime -= e.type();
                if (chime >= n - allow) {
                    low = e.value();
                    haveLow = true;
                    break;
                }
                if (e.type() == 0) midpointsOutside++;
            }
            chime = 0;
            for (int i = edges.length - 1; i >= 0; i--) {
                Edge e = edges[i];
                chime += e.type();
                if (chime >= n - allow) {
                    high = e.value();
                    haveHigh = true;
                    break;
                }
                if (e.type() == 0) midpointsOutside++;
            }
            if (!haveLow || !haveHigh || midpointsOutside > allow) continue;
            if (high >= low) {
                found = true;
                break;
            }
        }
        if (!found) return new Selection.Refused(Selection.Reason.NO_MAJORITY, n);

        List<String> survivors = new ArrayList<>();
        List<String> falsetickers = new ArrayList<>();
        double weightSum = 0, weighted = 0;
        Candidate peer = null;
        for (Candidate c : candidates) {
            if (c.offsetNanos() < low || c.offsetNanos() > high) {
                falsetickers.add(c.serverId());
                continue;
            }
            survivors.add(c.serverId());
            double w = 1.0 / Math.max(1, c.rootDistanceNanos());
            weightSum += w;
            weighted += w * (c.offsetNanos() - low); // relative to low: exact in double
            if (peer == null || c.rootDistanceNanos() < peer.rootDistanceNanos()) peer = c;
        }
        if (survivors.isEmpty()) return new Selection.Refused(Selection.Reason.NO_MAJORITY, n);
        long combined = low + Math.round(weighted / weightSum);
        combined = Math.max(low, Math.min(high, combined));
        return new Selection.Selected(combined, low, high, survivors, falsetickers, peer.serverId());
    }
}
