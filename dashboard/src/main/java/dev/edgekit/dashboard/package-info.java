/**
 * {@code edgekit dashboard}: a live web view of a fleet for the operator's machine. Everything it shows comes from the
 * broker's topics through the same {@code Registry} and {@code LivenessMonitor} the command line uses; it keeps a
 * bounded, downsampled history in memory, pushes changes to browsers by Server-Sent Events (batched, coalesced per
 * device, bounded per client), serves plain HTML and small JavaScript modules plus uPlot from the classpath, and sends
 * output commands as the documented MQTT 5 {@code cmd/set} requests. Safe by default: loopback only unless a token is
 * given, a strict Content-Security-Policy, and device-controlled text never interpreted as markup.
 */
package dev.edgekit.dashboard;
