package dev.edgekit.agent.runtime;

import dev.edgekit.agent.config.AgentConfig;
import dev.edgekit.agent.config.ConfigException;
import dev.edgekit.protocol.mqtt.MqttSessionBuilder;
import dev.edgekit.protocol.mqtt.MqttTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Credentials and TLS from the broker section of agent.yaml. Secrets come from files, never from the command line. */
final class BrokerSecurity {
    private BrokerSecurity() {
    }

    static void apply(AgentConfig.BrokerConfig broker, MqttSessionBuilder builder) {
        if (broker.username() != null) {
            byte[] password = broker.passwordFile() == null ? null
                    : readSecret(broker.passwordFile(), "broker.passwordFile");
            builder.credentials(broker.username(), password);
        } else if (broker.passwordFile() != null) {
            throw new ConfigException("broker.username: required with broker.passwordFile");
        }
        AgentConfig.Tls tls = broker.tls();
        if (tls != null) {
            requireReadable(tls.caFile(), "broker.caFile");
            MqttTls settings = MqttTls.trusting(tls.caFile());
            if (tls.certFile() != null) {
                requireReadable(tls.certFile(), "broker.certFile");
                requireReadable(tls.keyFile(), "broker.keyFile");
                settings = settings.withClientCertificate(tls.certFile(), tls.keyFile());
            }
            try {
                builder.socketFactory(settings.socketFactory());
            } catch (RuntimeException e) {
                throw new ConfigException("broker TLS: " + e.getMessage(), e);
            }
        }
    }

    private static byte[] readSecret(Path file, String entry) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(entry + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void requireReadable(Path file, String entry) {
        if (!Files.isReadable(file)) {
            throw new ConfigException(entry + ": " + file + " does not exist or is not readable");
        }
    }
}
