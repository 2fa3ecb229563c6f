/**
 * Message records for every device topic ({@link dev.edgekit.protocol.message.Message}, a sealed family) and the JSON
 * {@link dev.edgekit.protocol.message.Codec} with its schema version. Records validate themselves; the codec turns
 * every kind of bad payload into a {@link dev.edgekit.protocol.message.MalformedMessageException} that names the fault.
 */
package dev.edgekit.protocol.message;
