package dev.edgekit.tools.security;

import java.util.Set;
import java.util.TreeSet;

/**
 * Ids no identity may have, because they are fixed levels of the {@code $time} tree that the ACL matches with
 * {@code +} ({@code edgekit/v1/{site}/$time/{server}/request}, {@code …/$time/reply/{device}},
 * {@code …/$time/berkeley/{member}/poll}, {@code …/$time/berkeley/members/{member}}). A device named {@code request}
 * would read {@code $time/reply/request}, which every device may write as "a request to server {@code reply}"; a
 * device named {@code announce} would have its time replies read by everyone. With these ids refused, every topic
 * of the tree has one reading.
 */
final class ReservedIds {
    static final Set<String> TIME_LEVELS = Set.of("request", "announce", "reply", "berkeley", "members", "poll",
            "adjust");

    private ReservedIds() {
    }

    /** Refuses a reserved id with one line naming it and the reason. */
    static void check(String id, String what) {
        if (TIME_LEVELS.contains(id)) {
            throw new IllegalArgumentException(what + " '" + id + "' is reserved: it is a level of the $time topic"
                    + " tree (" + String.join(", ", new TreeSet<>(TIME_LEVELS)) + " are not allowed as ids)");
        }
    }
}
