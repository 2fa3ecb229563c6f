package dev.edgekit.tools.fuzz;

import java.util.Map;

/** What an observer saw one device do during a fuzz run. Thread-safe. */
final class DeviceWatch {
    /** The figures of one device, at the end of a run. */
    record Figures(long heartbeats, long worstHeartbeatGapMillis, long mostRepliesInASecond, long replies,
            long highestLamport, long worstHlcOffsetMillis, long offlineSpells, long longestOfflineMillis,
            long malformedOwn) {
    }

    private boolean armed;
    private long lastHeartbeat = -1;
    private long heartbeats;
    private long worstGap;
    private Map<String, Long> lastRefused;
    private long replySecond = -1;
    private long repliesThisSecond;
    private long mostReplies;
    private long replies;
    private long highestLamport;
    private long worstHlcOffset;
    private long offlineSince = -1;
    private long offlineSpells;
    private long longestOffline;
    private long malformedOwn;

    synchronized void arm(long now) {
        armed = true;
        lastHeartbeat = now;
        heartbeats = 0;
        worstGap = 0;
        mostReplies = 0;
        replies = 0;
        highestLamport = 0;
        worstHlcOffset = 0;
        offlineSpells = 0;
        longestOffline = 0;
        offlineSince = -1;
    }

    synchronized void heartbeat(long now, Map<String, Long> refused) {
        if (armed && lastHeartbeat >= 0) {
            worstGap = Math.max(worstGap, now - lastHeartbeat);
        }
        lastHeartbeat = now;
        heartbeats++;
        lastRefused = Map.copyOf(refused);
    }

    synchronized Map<String, Long> lastRefused() {
        return lastRefused;
    }

    synchronized void reply(long now) {
        long second = now / 1_000;
        if (second != replySecond) {
            replySecond = second;
            repliesThisSecond = 0;
        }
        repliesThisSecond++;
        replies++;
        mostReplies = Math.max(mostReplies, repliesThisSecond);
    }

    synchronized void stamp(long lamport, long hlcOffsetMillis) {
        if (armed) {
            highestLamport = Math.max(highestLamport, lamport);
            worstHlcOffset = Math.max(worstHlcOffset, hlcOffsetMillis);
        }
    }

    synchronized void status(long now, boolean online) {
        if (!armed) {
            return;
        }
        if (!online && offlineSince < 0) {
            offlineSince = now;
            offlineSpells++;
        } else if (online && offlineSince >= 0) {
            longestOffline = Math.max(longestOffline, now - offlineSince);
            offlineSince = -1;
        }
    }

    synchronized void malformedOwn() {
        malformedOwn++;
    }

    /** The figures, with a heartbeat gap or offline spell still open at {@code end} counted up to it. */
    synchronized Figures figures(long end) {
        long gap = Math.max(worstGap, lastHeartbeat >= 0 ? end - lastHeartbeat : 0);
        long offline = Math.max(longestOffline, offlineSince >= 0 ? end - offlineSince : 0);
        return new Figures(heartbeats, gap, mostReplies, replies, highestLamport, worstHlcOffset, offlineSpells,
                offline, malformedOwn);
    }
}
