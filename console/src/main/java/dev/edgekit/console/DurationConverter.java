package dev.edgekit.console;

import java.time.Duration;
import picocli.CommandLine;

/** Lets options take {@code 500ms}, {@code 30s}, {@code 5m}; never a negative duration (see {@link Flags}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return new Flags.NonNegativeDuration().convert(value);
    }
}
