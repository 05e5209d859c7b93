#pragma once
// validate(): the one check of a Plan's values and of how they combine, run by every entry
// point (the command line, --replay, and whatever builds a Plan next: a controller's message, a
// scenario, a test) before anything is sent. Parsing text (durations, URLs) is the entry
// point's job; deciding whether the values make a sensible run is this one's.
#include "plan/plan.h"
#include "plan/result.h"
#include "plan/setting_origins.h"

namespace strest {

// Ok when plan can run (or replay) as it stands; else one line naming the setting at fault as
// `origins` records it (its flag when there is no record) and the fix. Settings that cannot
// apply but came from a config file, such as a TLS key for an http:// URL, are logged as
// warnings instead (log/log.h), since one config may serve several targets.
Status validate(const Plan& plan, const SettingOrigins& origins = {});

}  // namespace strest
