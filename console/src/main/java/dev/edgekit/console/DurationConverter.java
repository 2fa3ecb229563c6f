package dev.edgekit.console;

import dev.edgekit.agent.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Lets options take {@code 500ms}, {@code 30s}, {@code 5m}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
