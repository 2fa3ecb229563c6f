package dev.edgekit.console;

import dev.edgekit.agent.config.Durations;
import dev.edgekit.protocol.topic.Ids;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Typed flag values checked while picocli parses the command line, so that a bad value stops the command before it
 * starts a broker, advertises or touches disk. Each converter's message says what was wrong with the value;
 * {@link #oneLine} prefixes the flag's name, so the user sees one line such as
 * {@code edgekit simulate: --port: 99999 is not a TCP port (1-65535)}.
 */
public final class Flags {
    private Flags() {
    }

    /** A TCP port, 1-65535. */
    public static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port = wholeNumber(value);
            if (port < 1 || port > 65535) {
                throw new TypeConversionException(value.strip() + " is not a TCP port (1-65535)");
            }
            return port;
        }
    }

    /** A port to listen on: 1-65535, or 0 for any free port. */
    public static final class ListenPort implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int port = wholeNumber(value);
            if (port < 0 || port > 65535) {
                throw new TypeConversionException(value.strip() + " is not a TCP port (1-65535, or 0 for any free"
                        + " port)");
            }
            return port;
        }
    }

    /** A whole number of at least 1. */
    public static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = wholeNumber(value);
            if (n < 1) {
                throw new TypeConversionException("must be at least 1, was " + value.strip());
            }
            return n;
        }
    }

    /** A whole number of at least 0. */
    public static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = wholeNumber(value);
            if (n < 0) {
                throw new TypeConversionException("must be 0 or more, was " + value.strip());
            }
            return n;
        }
    }

    /** A finite number of at least 0 (e.g. ppm). */
    public static final class NonNegativeNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d = number(value);
            if (d < 0) {
                throw new TypeConversionException("must be 0 or more, was " + value.strip());
            }
            return d;
        }
    }

    /** A fraction from 0 to 1. */
    public static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double d = number(value);
            if (d < 0 || d > 1) {
                throw new TypeConversionException("must be a fraction from 0 to 1, was " + value.strip());
            }
            return d;
        }
    }

    /** A duration longer than zero: {@code 500ms}, {@code 30s}, {@code 5m}. */
    public static final class PositiveDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = duration(value);
            if (d.isZero() || d.isNegative()) {
                throw new TypeConversionException("must be longer than 0, was " + value.strip());
            }
            return d;
        }
    }

    /** A duration of zero or more. */
    public static final class NonNegativeDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = duration(value);
            if (d.isNegative()) {
                throw new TypeConversionException("must not be negative, was " + value.strip());
            }
            return d;
        }
    }

    /** An edgekit id (site, device, server): 1-63 of a-z, 0-9 and '-', starting with a letter or digit. */
    public static final class Id implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!Ids.isValid(value)) {
                throw new TypeConversionException("'" + value + "' is not an id (1-63 of a-z, 0-9, '-'; starting"
                        + " with a letter or digit)");
            }
            return value;
        }
    }

    /** A broker URL: {@code tcp://host:port} or {@code ssl://host:port}. */
    public static final class BrokerUrl implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(tcp|ssl)://([^/\\s:]+|\\[[0-9a-fA-F:.]+\\]):"
                    + "(\\d{1,5})").matcher(value.strip());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a broker URL like tcp://127.0.0.1:1883");
            }
            new Port().convert(m.group(3));
            return value.strip();
        }
    }

    /** An IPv4 or IPv6 address written as such (no name lookup while parsing). */
    public static final class IpAddress implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.strip();
            boolean v4 = v.matches("(\\d{1,3})(\\.\\d{1,3}){3}")
                    && java.util.Arrays.stream(v.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
            boolean v6 = v.contains(":") && v.matches("[0-9a-fA-F:.]+");
            if (!v4 && !v6) {
                throw new TypeConversionException("'" + value + "' is not an IP address (e.g. 127.0.0.1 or"
                        + " 192.168.1.20)");
            }
            return v;
        }
    }

    /** A program that can be run, such as another JDK's {@code bin/java}. */
    public static final class Executable implements ITypeConverter<java.nio.file.Path> {
        @Override
        public java.nio.file.Path convert(String value) {
            java.nio.file.Path path = java.nio.file.Path.of(value.strip());
            if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isExecutable(path)) {
                throw new TypeConversionException("'" + value + "' is not an executable file");
            }
            return path;
        }
    }

    private static int wholeNumber(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }

    private static double number(String value) {
        try {
            double d = Double.parseDouble(value.strip());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }

    private static Duration duration(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /**
     * The command line's answer to a bad flag: one line on stderr naming the command and the flag, then exit code 2
     * (picocli's usage-error code). No usage dump: {@code --help} is one flag away.
     */
    static int oneLine(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = e.getMessage();
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option
                && e.getCause() instanceof TypeConversionException conversion) {
            message = option.longestName() + ": " + conversion.getMessage();
        } else if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option && message != null
                && message.startsWith("Invalid value for option")) {
            int colon = message.indexOf("': ");
            message = option.longestName() + ": " + (colon >= 0 ? message.substring(colon + 3) : message);
        }
        String first = message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            first += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
        }
        cmd.getErr().println(commandPath(cmd) + ": " + first + " (see " + commandPath(cmd) + " --help)");
        cmd.getErr().flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String commandPath(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName(" ");
    }
}
