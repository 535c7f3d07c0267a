/**
 * What a chain entry is to the chain: the {@link io.github.aifallback.chat.entry.EntryModel} SPI
 * that every vendor adapter implements, and the {@link io.github.aifallback.chat.entry.FinishReason}
 * it reports, normalized across vendors.
 */
package io.github.aifallback.chat.entry;
