package dev.edgekit.ubiquitous.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An attribute query over devices (attribute-based naming): space-separated {@code key=value} terms, all of which must
 * hold, e.g. {@code capability=temperature site=lab1 status=online}. Keys:
 * <ul>
 *   <li>{@code id}, {@code name}, {@code site}: exact; {@code *} at the end matches a prefix ({@code id=pi-*})</li>
 *   <li>{@code capability}: the device offers a sensor, actuator or command of that name</li>
 *   <li>{@code board}: board model; {@code software}: agent version; {@code broker}: the broker it is connected through</li>
 *   <li>{@code status}: online, suspect, lost, offline or unknown (suspect and lost need a failure detector, see
 *       {@code LivenessMonitor}; the registry alone knows online, offline and unknown)</li>
 * </ul>
 * Values are compared case-sensitively except {@code status}. An empty query matches every device.
 */
public record DeviceQuery(List<Term> terms) {
    private static final Set<String> KEYS = Set.of("id", "name", "site", "capability", "board", "software", "broker",
            "status");

    public record Term(String key, String value) {
    }

    public DeviceQuery {
        terms = List.copyOf(terms);
    }

    public static DeviceQuery all() {
        return new DeviceQuery(List.of());
    }

    /** Parses a query; throws {@link IllegalArgumentException} naming the bad term. */
    public static DeviceQuery parse(String text) {
        List<Term> terms = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return all();
        }
        for (String part : text.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("query term '" + part + "' is not key=value");
            }
            String key = part.substring(0, eq).toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("query key '" + key + "' is unknown (known: "
                        + KEYS.stream().sorted().toList() + ")");
            }
            terms.add(new Term(key, part.substring(eq + 1).replace('+', ' ')));
        }
        return new DeviceQuery(terms);
    }

    /** Whether {@code device} matches, judging {@code status} by the registry's own status. */
    public boolean matches(DeviceView device) {
        return matches(device, device.status().name().toLowerCase(Locale.ROOT));
    }

    /** Whether {@code device} matches, judging {@code status} by {@code status} (e.g. a failure detector's verdict). */
    public boolean matches(DeviceView device, String status) {
        for (Term term : terms) {
            String v = term.value();
            boolean ok = switch (term.key()) {
                case "id" -> like(device.id(), v);
                case "name" -> like(device.name(), v);
                case "site" -> like(device.site(), v);
                case "capability" -> device.birth() != null && device.birth().hasCapability(v);
                case "board" -> device.birth() != null && like(device.birth().board().model(), v);
                case "software" -> device.birth() != null && like(device.birth().software(), v);
                case "broker" -> device.birth() != null && device.birth().network() != null
                        && like(device.birth().network().broker(), v);
                case "status" -> status.equalsIgnoreCase(v);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean like(String actual, String pattern) {
        if (actual == null) {
            return false;
        }
        return pattern.endsWith("*") ? actual.startsWith(pattern.substring(0, pattern.length() - 1))
                : actual.equals(pattern);
    }

    @Override
    public String toString() {
        return String.join(" ", terms.stream().map(t -> t.key() + "=" + t.value()).toList());
    }
}
