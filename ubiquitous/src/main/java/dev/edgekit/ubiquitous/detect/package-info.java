/**
 * Failure detection in every registry consumer: a phi-accrual detector (Hayashibara et al.) and a plain timeout over
 * heartbeat inter-arrival times, both pure functions of {@code now}, and a {@link dev.edgekit.ubiquitous.detect.LivenessMonitor}
 * that combines them with the registry's view (births, Wills) into the states online → suspect → lost → online,
 * reporting every transition to listeners.
 */
package dev.edgekit.ubiquitous.detect;
