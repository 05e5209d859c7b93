#pragma once
// The metrics of a tick on the wire: metrics/tally.h's Tally and TickTally to and from the
// proto's Tally and Tick. The round trip is exact (histograms in the HdrHistogram V2 encoding
// plus their exact extremes), so the controller's merged totals and percentiles are what one
// process measuring every agent's requests would have found.
#include <memory>

#include "dist/proto/dist.pb.h"
#include "metrics/recorder.h"
#include "metrics/tally.h"
#include "plan/result.h"

namespace strest::dist {

void tally_to_wire(const strest::Tally& tally, Tally& out);
// Fails on what this version could not have sent: a histogram that does not decode or has
// another configuration than ours, a status code above 999, more counters than we know.
// `into` must be empty (a new or reset Tally): its buffers are reused.
Status tally_from_wire(const Tally& wire, strest::Tally& into);
Result<strest::Tally> tally_from_wire(const Tally& wire);

void tick_to_wire(const TickTally& tick, Tick& out);
// Fills `into` (empty, such as Recorder::spare_tick's).
Status tick_from_wire(const Tick& wire, TickTally& into);
Result<std::unique_ptr<TickTally>> tick_from_wire(const Tick& wire);

}  // namespace strest::dist
