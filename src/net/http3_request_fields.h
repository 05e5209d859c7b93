#pragma once
// The request header fields of every variant as nghttp3_nv arrays, built once per session from
// TransportConfig::requests and pointing into them (NO_COPY: nothing is copied per request but
// the id), with the request id header last when ids are on.
#include <nghttp3/nghttp3.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "net/transport_config.h"

namespace strest {

class Http3RequestFields {
 public:
  // `requests` must outlive this object (the run's TransportConfig does).
  explicit Http3RequestFields(const std::vector<RequestParts>& requests);

  // The fields of `variant`, the id header's value set to `id` (nghttp3 copies that one); valid
  // until the next call.
  std::span<const nghttp3_nv> fields(uint32_t variant, std::string_view id);
  // The fields of a request built for one slot (a scenario step), copied by nghttp3; valid
  // until the next call.
  std::span<const nghttp3_nv> built_fields(const RequestParts& request);
  // The body of `variant`, "" when it has none.
  const std::string& body(uint32_t variant) const { return (*requests_)[variant].body; }
  size_t variants() const { return variants_.size(); }

 private:
  const std::vector<RequestParts>* requests_;
  std::vector<std::vector<nghttp3_nv>> variants_;
  std::vector<nghttp3_nv> built_;
};

}  // namespace strest
