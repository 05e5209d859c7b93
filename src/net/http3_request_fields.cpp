#include "net/http3_request_fields.h"

namespace strest {

namespace {

uint8_t* bytes(std::string_view text) {
  return reinterpret_cast<uint8_t*>(const_cast<char*>(text.data()));
}

nghttp3_nv field(std::string_view name, std::string_view value,
                 uint8_t flags = NGHTTP3_NV_FLAG_NO_COPY_NAME | NGHTTP3_NV_FLAG_NO_COPY_VALUE) {
  return nghttp3_nv{bytes(name), bytes(value), name.size(), value.size(), flags};
}

}  // namespace

Http3RequestFields::Http3RequestFields(const std::vector<RequestParts>& requests)
    : requests_(&requests) {
  variants_.reserve(requests.size());
  for (const RequestParts& request : requests) {
    std::vector<nghttp3_nv>& nva = variants_.emplace_back();
    nva.reserve(request.headers.size() + 5);
    nva.push_back(field(":method", request.method));
    nva.push_back(field(":scheme", request.scheme));
    nva.push_back(field(":authority", request.authority));
    nva.push_back(field(":path", request.path));
    for (const auto& [name, value] : request.headers) nva.push_back(field(name, value));
    if (!request.id_header.empty()) {
      nva.push_back(field(request.id_header, "", NGHTTP3_NV_FLAG_NO_COPY_NAME));
    }
  }
}

std::span<const nghttp3_nv> Http3RequestFields::fields(uint32_t variant, std::string_view id) {
  std::vector<nghttp3_nv>& nva = variants_[variant];
  if (!(*requests_)[variant].id_header.empty()) {
    nva.back().value = bytes(id);
    nva.back().valuelen = id.size();
  }
  return nva;
}

std::span<const nghttp3_nv> Http3RequestFields::built_fields(const RequestParts& request) {
  built_.clear();
  built_.push_back(field(":method", request.method, NGHTTP3_NV_FLAG_NONE));
  built_.push_back(field(":scheme", request.scheme, NGHTTP3_NV_FLAG_NONE));
  built_.push_back(field(":authority", request.authority, NGHTTP3_NV_FLAG_NONE));
  built_.push_back(field(":path", request.path, NGHTTP3_NV_FLAG_NONE));
  for (const auto& [name, value] : request.headers) {
    built_.push_back(field(name, value, NGHTTP3_NV_FLAG_NONE));
  }
  return built_;
}

}  // namespace strest
