#include "dist/link_credentials.h"

#include <fstream>
#include <sstream>
#include <string>

namespace strest::dist {

namespace {

Result<std::string> read_pem(const std::string& path, const char* flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{std::string(flag) + ": cannot read '" + path + "'"};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<std::shared_ptr<grpc::ChannelCredentials>> agent_credentials(const DistributedPlan& plan) {
  if (plan.tls_ca.empty() && plan.tls_cert.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  if (!plan.tls_ca.empty()) {
    auto ca = read_pem(plan.tls_ca, "--dist-cacert");
    if (!ca) return Error{ca.error()};
    options.pem_root_certs = *ca;
  }
  if (!plan.tls_cert.empty()) {
    auto cert = read_pem(plan.tls_cert, "--dist-cert");
    if (!cert) return Error{cert.error()};
    auto key = read_pem(plan.tls_key, "--dist-key");
    if (!key) return Error{key.error()};
    options.pem_cert_chain = *cert;
    options.pem_private_key = *key;
  }
  return grpc::SslCredentials(options);
}

Result<std::shared_ptr<grpc::ServerCredentials>> controller_credentials(
    const DistributedPlan& plan) {
  if (plan.tls_cert.empty()) {
    if (!plan.tls_ca.empty()) {
      return Error{
          "--dist-cacert on a controller needs --dist-cert and --dist-key (its own certificate)"};
    }
    return grpc::InsecureServerCredentials();
  }
  auto cert = read_pem(plan.tls_cert, "--dist-cert");
  if (!cert) return Error{cert.error()};
  auto key = read_pem(plan.tls_key, "--dist-key");
  if (!key) return Error{key.error()};
  grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!plan.tls_ca.empty()) {
    auto ca = read_pem(plan.tls_ca, "--dist-cacert");
    if (!ca) return Error{ca.error()};
    options.pem_root_certs = *ca;
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace strest::dist
