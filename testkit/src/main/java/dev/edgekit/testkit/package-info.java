/**
 * Test support shipped with edgekit (in the spirit of OkHttp's testing-support): a real Mosquitto per test
 * ({@link dev.edgekit.testkit.MosquittoProcess}, {@link dev.edgekit.testkit.BrokerExtension}), the embedded broker
 * behind the same interface, and deterministic time ({@link dev.edgekit.testkit.FakeClock},
 * {@link dev.edgekit.testkit.ManualScheduler}).
 */
package dev.edgekit.testkit;
