/**
 * Securing a fleet: a site certificate authority (ECDSA P-256, BouncyCastle), per-identity provisioning (a client
 * certificate or a random password stored as a Mosquitto PBKDF2-SHA512 hash), the Mosquitto ACL rendered from
 * {@code broker-config/mosquitto/acl.template}, revocation (password and ACL removal plus a CRL), and the picocli
 * commands {@code ca}, {@code provision} and {@code revoke}. Secrets are written with mode 0600 and never logged or
 * taken from the command line. See SECURITY.md in this folder.
 */
package dev.edgekit.tools.security;
