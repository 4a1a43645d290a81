/**
 * The Poller component: reading the catalog's variables each interval ({@code PollLoop} with its
 * {@code ReadPlan} of MaxNodesPerRead chunks, node ids held in {@code CompactNodeIds}) or by
 * subscription ({@code SubscriptionSampler}, its values buffered in an {@code ArrivalBuffer}),
 * turning values into samples
 * ({@code SampleMapper}, {@code StructureSamples}, {@code TimestampPolicy}, {@code ChangeFilter}),
 * and handing them to the writer ({@code SampleOutlet}, {@code PendingSamples} while it does not
 * take them; both queues bounded in bytes by {@code SampleBytes}). Options in
 * {@code PollerOptions}, counters in {@code PollerState}.
 */
package io.opcscraper.opcua.internal.poller;
